// Built-in secret formats: data only. The encoder (../encode/secrets.ts) turns this table
// into the SECRETS section; the matcher (assembly/engine/detectors/secrets/) runs it.
//
// Most token shapes follow gitleaks' default rules (github.com/gitleaks/gitleaks,
// cmd/generate/config/rules/*.go, MIT licence, © Zachary Rice); each entry names the
// gitleaks rule it was taken from in `source`. Where gitleaks needs a regex feature the
// matcher does not have (alternation inside a body, look-around), the shape is the
// closest linear one and the note says how it differs. Shapes from elsewhere name
// their source (the vendor's documentation, Yelp detect-secrets).
//
// How a format is matched:
// - `prefixes`: literal anchors (case-sensitive) recognised by one Aho-Corasick automaton
//   for the whole table. By default an anchor must start at a word boundary (the byte
//   before it is not an ASCII letter or digit): "ask-me" never starts "sk-".
// - `firstChars`: instead of a prefix, a character class whose members start a candidate
//   at a word boundary (Telegram bot tokens begin with the bot's numeric id).
// - `body`: what follows the anchor, as a sequence of parts, each either a run of
//   `chars` (a regex-style class such as "A-Za-z0-9_-") of `min`..`max` characters
//   (greedy; a run followed by a literal must not contain the literal's first char
//   unless its length is fixed), a literal `lit`, or `until` (everything up to and
//   including that literal: PEM blocks).
// - A token ends at its last part; by default the next character must not be a letter,
//   digit or a member of the last run's class (so a token glued into a longer word does
//   not match). Leftmost-longest: a candidate is reported once it cannot be extended.
// - `keywords`: a keyword format has no anchor. It is checked against the VALUE of an
//   assignment (`key = "value"`, `key: value`, `"key": "value"`, `key := value`,
//   `key => value`) whose key contains one of the keywords (case-insensitive; '-' and
//   '.' in keys count as '_'). The finding's span is the value.
// - `span`: the body parts whose text is the finding (default: the whole token, anchor
//   included) — e.g. only the password of `scheme://user:password@host`.
// - `minEntropy`: Shannon entropy (bits/char) the body must reach (default 2.0 for
//   anchored formats, so "AKIA" + 16 × "Z" is not a key); 0 disables.
// - `validator`: an extra structural check in the engine (CRC32 of GitHub tokens, JWT
//   header, …); see SecretValidator.

/** Structural checks the engine runs on a complete candidate. */
export type SecretValidator =
  | "github_crc32" //    last 6 chars = base62(CRC32(30 random chars)) (GitHub's token format, 2021)
  | "jwt" //             header segment base64url-decodes to JSON text "{…"alg"…"
  | "openai_marker" //   body contains "T3BlbkFJ" (base64 of "openai")
  | "ends_aa" //         Anthropic keys end in "AA"
  | "private_key" //     PEM block; an unterminated block still counts at end of stream
  | "basic_auth" //      password is not a template/placeholder
  | "azure_ad_lookback" // 3 chars + a digit before "Q~" (Azure AD client secret)
  | "tfc_lookback"; //   14 [a-z0-9] before ".atlasv1." (Terraform Cloud)

export type BodyPart =
  | { chars: string; min: number; max?: number } // max defaults to min
  | { lit: string }
  | { until: string };

export interface SecretFormat {
  /** Entity type emitted (several formats may share one). */
  type: string;
  description: string;
  /** Where the shape comes from (gitleaks rule id, vendor doc, detect-secrets plugin). */
  source: string;
  prefixes?: string[];
  firstChars?: string;
  keywords?: string[];
  body: BodyPart[];
  /** false: the anchor may follow a letter/digit (mid-token anchors such as "://"). */
  leftBoundary?: boolean;
  /** false: no check on the character after the token. */
  rightBoundary?: boolean;
  /** [first, last] body part indices (inclusive) whose text is the finding. */
  span?: [number, number];
  minEntropy?: number;
  validator?: SecretValidator;
  /** 0..1 */
  score: number;
}

// Character classes (regex-style class bodies; "-" last is literal).
const ALNUM = "A-Za-z0-9";
const WORD = "A-Za-z0-9_";
const WORD_DASH = "A-Za-z0-9_-";
const B64 = "A-Za-z0-9+/";
const HEX = "0-9a-f";
const HEX_ANY = "0-9a-fA-F";
const DIGIT = "0-9";
const LOWER_ALNUM = "a-z0-9";
const UPPER_ALNUM = "A-Z0-9";

const hex = (n: number): BodyPart => ({ chars: HEX, min: n });
const alnum = (min: number, max = min): BodyPart => ({ chars: ALNUM, min, max });
const wordDash = (min: number, max = min): BodyPart => ({ chars: WORD_DASH, min, max });

/** The name of the generic `key = value` type (entropy-checked values of password-like keys). */
export const GENERIC_SECRET = "GENERIC_SECRET";

/** Keys that make an assignment's value a GENERIC_SECRET candidate (matched inside the key,
 *  case-insensitive, '-' and '.' read as '_'). Idea and list after gitleaks' generic-api-key
 *  keywords and detect-secrets' KeywordDetector denylist. */
export interface SecretKeyword {
  word: string;
  /** keyword group: a generic group, or the keyword-format group it enables */
  group: string;
  /** only when the key ends with the word ("signing_key", not "keyboard") */
  suffix?: boolean;
  /** the key does NOT count for `group` when it contains the word ("author" ≠ "auth");
   *  with group "*" and suffix, a key ending in the word never counts ("token_url") */
  negative?: boolean;
}

export const GENERIC_GROUPS = ["password", "secret", "token", "apikey", "accesskey", "auth", "credential", "key", "privatekey"];

export const SECRET_KEYWORDS: SecretKeyword[] = [
  { word: "password", group: "password" },
  { word: "passwd", group: "password" },
  { word: "passphrase", group: "password" },
  { word: "pwd", group: "password" },
  { word: "_pass", group: "password", suffix: true },
  { word: "_pw", group: "password", suffix: true },
  { word: "secret", group: "secret" },
  { word: "token", group: "token" },
  { word: "tokens", group: "token", suffix: true, negative: true }, // max_tokens
  { word: "tokeniz", group: "token", negative: true }, //              tokenizer
  { word: "api_key", group: "apikey" },
  { word: "apikey", group: "apikey" },
  { word: "access_key", group: "accesskey" },
  { word: "accesskey", group: "accesskey" },
  { word: "auth", group: "auth" },
  { word: "author", group: "auth", suffix: true, negative: true }, // post_author, not Authorization
  { word: "authors", group: "auth", suffix: true, negative: true },
  { word: "credential", group: "credential" },
  { word: "creds", group: "credential" },
  { word: "key", group: "key", suffix: true },
  { word: "private_key", group: "privatekey" },
  { word: "privatekey", group: "privatekey" },
  // keys that name something about a secret, not the secret
  ...["url", "uri", "endpoint", "path", "file", "type", "name", "mode", "method", "header", "prefix", "length", "count", "limit", "ttl", "timeout", "expiry", "expires", "enabled", "required", "format", "version"].map(
    (w) => ({ word: "_" + w, group: "*", suffix: true, negative: true }),
  ),
  // keyword-format groups
  { word: "aws", group: "aws" },
  { word: "secret_access", group: "aws" },
  { word: "secretaccess", group: "aws" },
  { word: "datadog", group: "datadog" },
  { word: "dd_api", group: "datadog" },
  { word: "dd_app", group: "datadog" },
  { word: "okta", group: "okta" },
  { word: "mistral", group: "mistral" },
  { word: "cohere", group: "cohere" },
  { word: "co_api_key", group: "cohere" },
  { word: "heroku", group: "heroku" },
  { word: "twitch", group: "twitch" },
  { word: "mailchimp", group: "mailchimp" },
  { word: "cloudflare", group: "cloudflare" },
  { word: "cf_api", group: "cloudflare" },
  { word: "vercel", group: "vercel" },
  { word: "netlify", group: "netlify" },
];

export const SECRET_FORMATS: SecretFormat[] = [
  // ── cloud providers ──────────────────────────────────────────────────────────────
  { type: "AWS_ACCESS_KEY_ID", description: "AWS access key id", source: "gitleaks aws-access-token", prefixes: ["AKIA", "ASIA", "ABIA", "ACCA"], body: [{ chars: "A-Z2-7", min: 16 }], score: 0.95 },
  { type: "AWS_ACCESS_KEY_ID", description: "AWS access key id (A3T prefix)", source: "gitleaks aws-access-token", prefixes: ["A3T"], body: [{ chars: UPPER_ALNUM, min: 1 }, { chars: "A-Z2-7", min: 16 }], score: 0.9 },
  { type: "AWS_SECRET_ACCESS_KEY", description: "AWS secret access key assigned to an aws/secret_access key", source: "detect-secrets aws_key", keywords: ["aws"], body: [{ chars: B64, min: 40 }], minEntropy: 3.0, score: 0.9 },
  { type: "AWS_BEDROCK_API_KEY", description: "Amazon Bedrock long-lived API key", source: "gitleaks aws-amazon-bedrock-api-key-long-lived", prefixes: ["ABSK"], body: [{ chars: B64, min: 109, max: 269 }, { chars: "=", min: 0, max: 2 }], score: 0.9 },
  { type: "GOOGLE_API_KEY", description: "Google API key", source: "gitleaks gcp-api-key", prefixes: ["AIza"], body: [wordDash(35)], score: 0.9 },
  { type: "GOOGLE_OAUTH_CLIENT_SECRET", description: "Google OAuth client secret", source: "Google OAuth client secret format (GOCSPX-)", prefixes: ["GOCSPX-"], body: [wordDash(28)], score: 0.95 },
  { type: "GOOGLE_OAUTH_ACCESS_TOKEN", description: "Google OAuth access token", source: "Google OAuth 2.0 access tokens (ya29.)", prefixes: ["ya29."], body: [wordDash(30, 2048)], score: 0.85 },
  { type: "AZURE_STORAGE_ACCOUNT_KEY", description: "Azure storage account key in a connection string", source: "detect-secrets azure_storage_key", prefixes: ["AccountKey="], leftBoundary: false, body: [{ chars: B64, min: 86 }, { lit: "==" }], span: [0, 1], score: 0.95 },
  { type: "AZURE_AD_CLIENT_SECRET", description: "Azure AD (Entra) client secret; the span starts at \"Q~\" (the 4 characters before it are checked, not held)", source: "gitleaks azure-ad-client-secret", prefixes: ["Q~"], leftBoundary: false, validator: "azure_ad_lookback", body: [{ chars: "A-Za-z0-9_~.-", min: 31, max: 34 }], score: 0.85 },
  { type: "ALIBABA_ACCESS_KEY_ID", description: "Alibaba Cloud AccessKey id", source: "gitleaks alibaba-access-key-id", prefixes: ["LTAI"], body: [alnum(20)], score: 0.85 },
  { type: "TENCENT_SECRET_ID", description: "Tencent Cloud SecretId", source: "Tencent Cloud API key format (AKID + 32)", prefixes: ["AKID"], body: [alnum(32)], score: 0.85 },
  { type: "DIGITALOCEAN_TOKEN", description: "DigitalOcean personal access token", source: "gitleaks digitalocean-pat", prefixes: ["dop_v1_"], body: [hex(64)], score: 0.95 },
  { type: "DIGITALOCEAN_TOKEN", description: "DigitalOcean OAuth access token", source: "gitleaks digitalocean-access-token", prefixes: ["doo_v1_"], body: [hex(64)], score: 0.95 },
  { type: "DIGITALOCEAN_TOKEN", description: "DigitalOcean OAuth refresh token", source: "gitleaks digitalocean-refresh-token", prefixes: ["dor_v1_"], body: [hex(64)], score: 0.95 },
  { type: "HEROKU_API_KEY", description: "Heroku platform API key (HRKU-)", source: "gitleaks heroku-api-key-v2", prefixes: ["HRKU-AA"], body: [wordDash(58)], score: 0.95 },
  { type: "HEROKU_API_KEY", description: "Heroku API key (UUID) assigned to a heroku key", source: "gitleaks heroku-api-key", keywords: ["heroku"], body: [{ chars: "0-9a-fA-F-", min: 36 }], score: 0.8 },
  { type: "FLYIO_TOKEN", description: "Fly.io access token", source: "gitleaks flyio-access-token", prefixes: ["fo1_"], body: [wordDash(43)], score: 0.95 },
  { type: "FLYIO_TOKEN", description: "Fly.io macaroon token", source: "gitleaks flyio-access-token", prefixes: ["fm1r_", "fm1a_", "fm2_"], body: [{ chars: B64, min: 100, max: 4000 }, { chars: "=", min: 0, max: 3 }], score: 0.95 },
  { type: "SUPABASE_TOKEN", description: "Supabase personal access token", source: "Supabase access token format (sbp_ + 40 hex)", prefixes: ["sbp_"], body: [hex(40)], score: 0.9 },
  { type: "SUPABASE_TOKEN", description: "Supabase secret API key", source: "Supabase API keys (sb_secret_)", prefixes: ["sb_secret_"], body: [wordDash(20, 80)], score: 0.9 },
  { type: "VERCEL_TOKEN", description: "Vercel token assigned to a vercel key", source: "Vercel access tokens (24 alphanumerics)", keywords: ["vercel"], body: [alnum(24)], score: 0.75 },
  { type: "NETLIFY_TOKEN", description: "Netlify personal access token", source: "Netlify PAT format (nfp_)", prefixes: ["nfp_"], body: [alnum(36, 40)], score: 0.9 },
  { type: "NETLIFY_TOKEN", description: "Netlify token assigned to a netlify key", source: "gitleaks netlify-access-token", keywords: ["netlify"], body: [{ chars: "A-Za-z0-9=_-", min: 40, max: 46 }], score: 0.75 },
  { type: "CLOUDFLARE_API_KEY", description: "Cloudflare API token or global key assigned to a cloudflare key", source: "gitleaks cloudflare-api-key, cloudflare-global-api-key", keywords: ["cloudflare"], body: [wordDash(37, 40)], score: 0.75 },
  { type: "CLOUDFLARE_API_KEY", description: "Cloudflare origin CA key", source: "gitleaks cloudflare-origin-ca-key", prefixes: ["v1.0-"], body: [hex(24), { lit: "-" }, hex(146)], score: 0.9 },
  { type: "TERRAFORM_CLOUD_TOKEN", description: "Terraform Cloud / Enterprise API token; the span starts at \".atlasv1.\" (the 14-char id before it is checked, not held)", source: "gitleaks hashicorp-tf-api-token", prefixes: [".atlasv1."], leftBoundary: false, validator: "tfc_lookback", body: [{ chars: "A-Za-z0-9=_-", min: 60, max: 70 }], score: 0.9 },
  { type: "VAULT_TOKEN", description: "HashiCorp Vault service token", source: "gitleaks vault-service-token", prefixes: ["hvs."], body: [wordDash(90, 120)], score: 0.9 },
  { type: "VAULT_TOKEN", description: "HashiCorp Vault batch token", source: "gitleaks vault-batch-token", prefixes: ["hvb."], body: [wordDash(138, 300)], score: 0.9 },
  { type: "DOPPLER_TOKEN", description: "Doppler token", source: "gitleaks doppler-api-token", prefixes: ["dp.pt.", "dp.st.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."], body: [alnum(40, 48)], score: 0.9 },
  { type: "PULUMI_TOKEN", description: "Pulumi access token", source: "gitleaks pulumi-api-token", prefixes: ["pul-"], body: [hex(40)], score: 0.9 },
  { type: "DATABRICKS_TOKEN", description: "Databricks personal access token", source: "gitleaks databricks-api-token", prefixes: ["dapi"], body: [hex(32)], score: 0.85 },
  { type: "ARTIFACTORY_TOKEN", description: "JFrog Artifactory API key", source: "gitleaks artifactory-api-key", prefixes: ["AKCp"], body: [alnum(69)], score: 0.9 },
  { type: "ARTIFACTORY_TOKEN", description: "JFrog Artifactory reference token", source: "gitleaks artifactory-reference-token", prefixes: ["cmVmdGtu"], body: [alnum(56)], score: 0.9 },
  // ── source control, CI, package registries ─────────────────────────────────────
  { type: "GITHUB_TOKEN", description: "GitHub personal access token (classic)", source: "gitleaks github-pat; checksum per GitHub's token format", prefixes: ["ghp_"], body: [alnum(36)], validator: "github_crc32", score: 0.99 },
  { type: "GITHUB_TOKEN", description: "GitHub OAuth access token", source: "gitleaks github-oauth", prefixes: ["gho_"], body: [alnum(36)], validator: "github_crc32", score: 0.99 },
  { type: "GITHUB_TOKEN", description: "GitHub user-to-server / server-to-server token", source: "gitleaks github-app-token", prefixes: ["ghu_", "ghs_"], body: [alnum(36)], validator: "github_crc32", score: 0.99 },
  { type: "GITHUB_TOKEN", description: "GitHub refresh token", source: "gitleaks github-refresh-token", prefixes: ["ghr_"], body: [alnum(36)], validator: "github_crc32", score: 0.99 },
  { type: "GITHUB_TOKEN", description: "GitHub fine-grained personal access token", source: "gitleaks github-fine-grained-pat", prefixes: ["github_pat_"], body: [alnum(22), { lit: "_" }, alnum(59)], score: 0.99 },
  { type: "GITLAB_TOKEN", description: "GitLab personal access token", source: "gitleaks gitlab-pat, gitlab-pat-routable", prefixes: ["glpat-"], body: [wordDash(20, 300)], score: 0.95 },
  { type: "GITLAB_TOKEN", description: "GitLab deploy, runner, feed, SCIM, OAuth and agent tokens", source: "gitleaks gitlab-deploy-token, gitlab-rrt, gitlab-feed-token, gitlab-scim-token, gitlab-cicd-job-token, gitlab-incoming-mail-token, gitlab-kubernetes-agent-token, gitlab-oauth-app-secret", prefixes: ["gldt-", "glrt-", "glft-", "glsoat-", "glcbt-", "glimt-", "glagent-", "gloas-", "glffct-"], body: [wordDash(20, 300)], score: 0.9 },
  { type: "GITLAB_TOKEN", description: "GitLab pipeline trigger token", source: "gitleaks gitlab-ptt", prefixes: ["glptt-"], body: [hex(40)], score: 0.9 },
  { type: "GITLAB_TOKEN", description: "GitLab runner registration token", source: "gitleaks gitlab-runner-registration-token", prefixes: ["GR1348941"], body: [wordDash(20, 300)], score: 0.9 },
  { type: "NPM_TOKEN", description: "npm access token", source: "gitleaks npm-access-token", prefixes: ["npm_"], body: [alnum(36)], score: 0.95 },
  { type: "PYPI_TOKEN", description: "PyPI upload token", source: "gitleaks pypi-upload-token", prefixes: ["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"], body: [wordDash(70, 1000)], score: 0.95 },
  { type: "RUBYGEMS_TOKEN", description: "RubyGems API token", source: "gitleaks rubygems-api-token", prefixes: ["rubygems_"], body: [hex(48)], score: 0.95 },
  { type: "CLOJARS_TOKEN", description: "Clojars deploy token", source: "gitleaks clojars-api-token", prefixes: ["CLOJARS_"], body: [{ chars: LOWER_ALNUM, min: 60 }], score: 0.9 },
  { type: "ATLASSIAN_API_TOKEN", description: "Atlassian API token", source: "gitleaks atlassian-api-token", prefixes: ["ATATT3"], body: [{ chars: "A-Za-z0-9=_-", min: 150, max: 250 }], score: 0.95 },
  { type: "SENTRY_TOKEN", description: "Sentry organisation auth token", source: "gitleaks sentry-org-token (simplified: the region marker is not required)", prefixes: ["sntrys_eyJ"], body: [{ chars: "A-Za-z0-9+/=", min: 50, max: 600 }, { lit: "_" }, { chars: B64, min: 43 }], score: 0.95 },
  { type: "SENTRY_TOKEN", description: "Sentry user auth token", source: "gitleaks sentry-user-token", prefixes: ["sntryu_"], body: [hex(64)], score: 0.95 },
  { type: "POSTMAN_API_KEY", description: "Postman API key", source: "gitleaks postman-api-token", prefixes: ["PMAK-"], body: [hex(24), { lit: "-" }, hex(34)], score: 0.95 },
  { type: "LINEAR_API_KEY", description: "Linear API key", source: "gitleaks linear-api-key", prefixes: ["lin_api_"], body: [alnum(40)], score: 0.95 },
  { type: "NOTION_TOKEN", description: "Notion integration token (ntn_)", source: "gitleaks notion-api-token", prefixes: ["ntn_"], body: [{ chars: DIGIT, min: 11 }, alnum(35)], score: 0.95 },
  { type: "NOTION_TOKEN", description: "Notion integration secret (legacy secret_)", source: "Notion internal integration secrets (secret_ + 43)", prefixes: ["secret_"], body: [alnum(43)], score: 0.8 },
  { type: "GRAFANA_TOKEN", description: "Grafana service account token", source: "gitleaks grafana-service-account-token", prefixes: ["glsa_"], body: [alnum(32), { lit: "_" }, { chars: HEX_ANY, min: 8 }], score: 0.95 },
  { type: "GRAFANA_TOKEN", description: "Grafana Cloud API token", source: "gitleaks grafana-cloud-api-token", prefixes: ["glc_"], body: [{ chars: B64, min: 32, max: 400 }, { chars: "=", min: 0, max: 2 }], score: 0.9 },
  { type: "GRAFANA_TOKEN", description: "Grafana API key (legacy)", source: "gitleaks grafana-api-key", prefixes: ["eyJrIjoi"], body: [{ chars: ALNUM, min: 70, max: 400 }, { chars: "=", min: 0, max: 2 }], score: 0.9 },
  { type: "NEW_RELIC_KEY", description: "New Relic user API key", source: "gitleaks new-relic-user-api-key", prefixes: ["NRAK-"], body: [{ chars: UPPER_ALNUM, min: 27 }], score: 0.95 },
  { type: "NEW_RELIC_KEY", description: "New Relic insert key", source: "gitleaks new-relic-insert-key", prefixes: ["NRII-"], body: [{ chars: "A-Za-z0-9-", min: 32 }], score: 0.9 },
  { type: "NEW_RELIC_KEY", description: "New Relic browser API token", source: "gitleaks new-relic-browser-api-token", prefixes: ["NRJS-"], body: [hex(19)], score: 0.9 },
  { type: "DATADOG_API_KEY", description: "Datadog API or application key assigned to a datadog key", source: "gitleaks datadog-access-token", keywords: ["datadog"], body: [{ chars: LOWER_ALNUM, min: 32, max: 40 }], score: 0.8 },
  { type: "SCALINGO_TOKEN", description: "Scalingo API token", source: "gitleaks scalingo-api-token", prefixes: ["tk-us-"], body: [wordDash(48)], score: 0.9 },
  { type: "PREFECT_TOKEN", description: "Prefect API token", source: "gitleaks prefect-api-token", prefixes: ["pnu_"], body: [alnum(36)], score: 0.9 },
  { type: "README_TOKEN", description: "ReadMe API key", source: "gitleaks readme-api-token", prefixes: ["rdme_"], body: [{ chars: LOWER_ALNUM, min: 70 }], score: 0.9 },
  { type: "SOURCEGRAPH_TOKEN", description: "Sourcegraph access token", source: "gitleaks sourcegraph-access-token", prefixes: ["sgp_"], body: [{ chars: "a-fA-F0-9_", min: 40, max: 80 }], score: 0.85 },
  { type: "PLANETSCALE_TOKEN", description: "PlanetScale API token, password or OAuth token", source: "gitleaks planetscale-api-token, planetscale-password, planetscale-oauth-token", prefixes: ["pscale_tkn_", "pscale_pw_", "pscale_oauth_"], body: [{ chars: "A-Za-z0-9=_.-", min: 32, max: 64 }], score: 0.95 },
  { type: "ONEPASSWORD_TOKEN", description: "1Password service account token", source: "gitleaks 1password-service-account-token", prefixes: ["ops_eyJ"], body: [{ chars: B64, min: 250, max: 4000 }, { chars: "=", min: 0, max: 3 }], score: 0.95 },
  { type: "ONEPASSWORD_TOKEN", description: "1Password secret key", source: "gitleaks 1password-secret-key", prefixes: ["A3-"], body: [{ chars: UPPER_ALNUM, min: 6 }, { lit: "-" }, { chars: UPPER_ALNUM, min: 6, max: 11 }, { lit: "-" }, { chars: UPPER_ALNUM, min: 5 }, { lit: "-" }, { chars: UPPER_ALNUM, min: 5 }, { lit: "-" }, { chars: UPPER_ALNUM, min: 5 }, { chars: "-", min: 0, max: 1 }, { chars: UPPER_ALNUM, min: 0, max: 5 }], minEntropy: 3.0, score: 0.85 },
  { type: "HARNESS_TOKEN", description: "Harness personal access / service account token", source: "gitleaks harness-api-key", prefixes: ["pat.", "sat."], body: [wordDash(22), { lit: "." }, alnum(24), { lit: "." }, alnum(20)], score: 0.9 },
  { type: "AGE_SECRET_KEY", description: "age encryption secret key", source: "gitleaks age-secret-key", prefixes: ["AGE-SECRET-KEY-1"], body: [{ chars: "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", min: 58 }], score: 0.99 },
  // ── messaging, payments, SaaS ───────────────────────────────────────────────────
  { type: "SLACK_TOKEN", description: "Slack bot, user, app, refresh or legacy token", source: "gitleaks slack-bot-token, slack-user-token, slack-legacy-*; detect-secrets slack", prefixes: ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxo-", "xoxe-", "xoxe.xoxp-", "xoxe.xoxb-"], body: [{ chars: DIGIT, min: 1, max: 14 }, { lit: "-" }, { chars: "A-Za-z0-9-", min: 8, max: 250 }], score: 0.95 },
  { type: "SLACK_TOKEN", description: "Slack app-level token", source: "gitleaks slack-app-token", prefixes: ["xapp-"], body: [{ chars: DIGIT, min: 1, max: 2 }, { lit: "-" }, { chars: "A-Za-z0-9-", min: 20, max: 250 }], score: 0.95 },
  { type: "SLACK_WEBHOOK_URL", description: "Slack incoming webhook / workflow URL (from the host name on)", source: "gitleaks slack-webhook-url", prefixes: ["hooks.slack.com/services/", "hooks.slack.com/workflows/", "hooks.slack.com/triggers/"], body: [{ chars: "A-Za-z0-9+/_-", min: 20, max: 150 }], minEntropy: 0, score: 0.95 },
  { type: "DISCORD_BOT_TOKEN", description: "Discord bot token (base64 of a numeric user id, timestamp, HMAC)", source: "detect-secrets discord; the prefixes are the base64 of the id's first digit", prefixes: ["MT", "Mj", "Mz", "ND", "NT", "Nj", "Nz", "OD", "OT"], body: [wordDash(22, 24), { lit: "." }, wordDash(6, 7), { lit: "." }, wordDash(27, 38)], score: 0.9 },
  { type: "TELEGRAM_BOT_TOKEN", description: "Telegram bot token", source: "gitleaks telegram-bot-api-token; detect-secrets telegram_token", firstChars: DIGIT, body: [{ chars: DIGIT, min: 5, max: 16 }, { lit: ":A" }, wordDash(34)], score: 0.9 },
  { type: "TWILIO_API_KEY", description: "Twilio API key SID", source: "gitleaks twilio-api-key", prefixes: ["SK"], body: [{ chars: HEX_ANY, min: 32 }], minEntropy: 2.5, score: 0.8 },
  { type: "TWILIO_ACCOUNT_SID", description: "Twilio account SID", source: "detect-secrets twilio", prefixes: ["AC"], body: [{ chars: HEX_ANY, min: 32 }], minEntropy: 2.5, score: 0.6 },
  { type: "SENDGRID_API_KEY", description: "SendGrid API key", source: "gitleaks sendgrid-api-token", prefixes: ["SG."], body: [wordDash(22), { lit: "." }, wordDash(43)], score: 0.95 },
  { type: "BREVO_API_KEY", description: "Brevo (Sendinblue) API key", source: "gitleaks sendinblue-api-token", prefixes: ["xkeysib-"], body: [{ chars: "a-f0-9", min: 64 }, { lit: "-" }, { chars: "a-zA-Z0-9", min: 16 }], score: 0.95 },
  { type: "MAILGUN_API_KEY", description: "Mailgun private API key", source: "gitleaks mailgun-private-api-token", prefixes: ["key-"], body: [hex(32)], score: 0.85 },
  { type: "MAILCHIMP_API_KEY", description: "Mailchimp API key assigned to a mailchimp key", source: "gitleaks mailchimp-api-key", keywords: ["mailchimp"], body: [hex(32), { lit: "-us" }, { chars: DIGIT, min: 1, max: 2 }], score: 0.85 },
  { type: "STRIPE_SECRET_KEY", description: "Stripe secret key", source: "gitleaks stripe-access-token", prefixes: ["sk_live_", "sk_test_", "sk_prod_"], body: [alnum(10, 247)], score: 0.95 },
  { type: "STRIPE_RESTRICTED_KEY", description: "Stripe restricted key", source: "gitleaks stripe-access-token", prefixes: ["rk_live_", "rk_test_", "rk_prod_"], body: [alnum(10, 247)], score: 0.95 },
  { type: "STRIPE_PUBLISHABLE_KEY", description: "Stripe publishable key (not secret on its own; reported at a low score)", source: "Stripe API keys documentation", prefixes: ["pk_live_", "pk_test_"], body: [alnum(10, 247)], score: 0.4 },
  { type: "SQUARE_ACCESS_TOKEN", description: "Square access token", source: "gitleaks square-access-token", prefixes: ["sq0atp-", "EAAA"], body: [wordDash(22, 60)], score: 0.9 },
  { type: "SQUARE_OAUTH_SECRET", description: "Square OAuth application secret", source: "detect-secrets square_oauth", prefixes: ["sq0csp-"], body: [wordDash(43)], score: 0.95 },
  { type: "PAYPAL_BRAINTREE_ACCESS_TOKEN", description: "PayPal Braintree access token", source: "gitleaks (braintree) / detect-secrets", prefixes: ["access_token$production$", "access_token$sandbox$"], body: [{ chars: LOWER_ALNUM, min: 16 }, { lit: "$" }, hex(32)], score: 0.95 },
  { type: "SHOPIFY_TOKEN", description: "Shopify access token, custom app, private app or shared secret", source: "gitleaks shopify-access-token, shopify-custom-access-token, shopify-private-app-access-token, shopify-shared-secret", prefixes: ["shpat_", "shpca_", "shppa_", "shpss_"], body: [{ chars: HEX_ANY, min: 32 }], score: 0.95 },
  { type: "SHIPPO_TOKEN", description: "Shippo API token", source: "gitleaks shippo-api-token", prefixes: ["shippo_live_", "shippo_test_"], body: [hex(40)], score: 0.95 },
  { type: "DUFFEL_TOKEN", description: "Duffel API token", source: "gitleaks duffel-api-token", prefixes: ["duffel_test_", "duffel_live_"], body: [{ chars: "A-Za-z0-9_=-", min: 43 }], score: 0.95 },
  { type: "FLUTTERWAVE_KEY", description: "Flutterwave secret / encryption key", source: "gitleaks flutterwave-secret-key", prefixes: ["FLWSECK_TEST-", "FLWSECK-"], body: [{ chars: "a-hA-H0-9", min: 32 }, { lit: "-X" }], score: 0.95 },
  { type: "EASYPOST_TOKEN", description: "EasyPost API token", source: "gitleaks easypost-api-token", prefixes: ["EZAK", "EZTK"], body: [{ chars: "a-zA-Z0-9", min: 54 }], score: 0.9 },
  { type: "TYPEFORM_TOKEN", description: "Typeform personal access token", source: "gitleaks typeform-api-token", prefixes: ["tfp_"], body: [{ chars: "a-zA-Z0-9_.=-", min: 59 }], score: 0.9 },
  { type: "DYNATRACE_TOKEN", description: "Dynatrace API token", source: "gitleaks dynatrace-api-token", prefixes: ["dt0c01."], body: [{ chars: UPPER_ALNUM, min: 24 }, { lit: "." }, { chars: UPPER_ALNUM, min: 64 }], score: 0.95 },
  { type: "FRAMEIO_TOKEN", description: "Frame.io API token", source: "gitleaks frameio-api-token", prefixes: ["fio-u-"], body: [{ chars: "A-Za-z0-9_=-", min: 64 }], score: 0.95 },
  { type: "DROPBOX_TOKEN", description: "Dropbox short-lived access token", source: "gitleaks dropbox-short-lived-api-token (widened for current sl.u. tokens)", prefixes: ["sl."], body: [{ chars: "A-Za-z0-9_=.-", min: 130, max: 1500 }], score: 0.9 },
  { type: "TWITCH_TOKEN", description: "Twitch API token assigned to a twitch key", source: "gitleaks twitch-api-token", keywords: ["twitch"], body: [{ chars: LOWER_ALNUM, min: 30 }], score: 0.75 },
  { type: "OKTA_TOKEN", description: "Okta API token assigned to an okta key", source: "gitleaks okta-access-token", keywords: ["okta"], body: [{ lit: "00" }, wordDash(40)], score: 0.8 },
  { type: "MAPBOX_TOKEN", description: "Mapbox public, secret or temporary token", source: "gitleaks mapbox-api-token (shape of real tokens: pk.eyJ…)", prefixes: ["pk.eyJ", "sk.eyJ", "tk.eyJ"], body: [wordDash(50, 200), { lit: "." }, wordDash(20, 40)], score: 0.85 },
  { type: "OPENSHIFT_TOKEN", description: "OpenShift user / OAuth access token", source: "gitleaks openshift-user-token", prefixes: ["sha256~"], body: [wordDash(43)], score: 0.9 },
  { type: "INTRA42_CLIENT_SECRET", description: "42 Intra client secret", source: "gitleaks intra42-client-secret", prefixes: ["s-s4t2ud-", "s-s4t2af-"], body: [hex(64)], score: 0.9 },
  { type: "SONARQUBE_TOKEN", description: "SonarQube user / project / global analysis token", source: "gitleaks sonar-api-token (anchored forms)", prefixes: ["squ_", "sqp_", "sqa_"], body: [hex(40)], score: 0.9 },
  { type: "FACEBOOK_ACCESS_TOKEN", description: "Facebook page / user access token", source: "gitleaks facebook-page-access-token", prefixes: ["EAAM", "EAAC"], body: [alnum(100, 400)], score: 0.85 },
  // ── AI providers ─────────────────────────────────────────────────────────────────
  { type: "OPENAI_API_KEY", description: "OpenAI project / service account / admin key", source: "gitleaks openai-api-key", prefixes: ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"], body: [wordDash(40, 250)], validator: "openai_marker", score: 0.99 },
  { type: "OPENAI_API_KEY", description: "OpenAI legacy user key", source: "gitleaks openai-api-key", prefixes: ["sk-"], body: [alnum(20), { lit: "T3BlbkFJ" }, alnum(20)], score: 0.99 },
  { type: "ANTHROPIC_API_KEY", description: "Anthropic API key", source: "gitleaks anthropic-api-key", prefixes: ["sk-ant-api03-"], body: [wordDash(80, 120)], validator: "ends_aa", score: 0.99 },
  { type: "ANTHROPIC_ADMIN_KEY", description: "Anthropic admin key", source: "gitleaks anthropic-admin-api-key", prefixes: ["sk-ant-admin01-"], body: [wordDash(80, 120)], validator: "ends_aa", score: 0.99 },
  { type: "HUGGINGFACE_TOKEN", description: "Hugging Face access token", source: "gitleaks huggingface-access-token", prefixes: ["hf_"], body: [{ chars: "A-Za-z", min: 34 }], score: 0.9 },
  { type: "HUGGINGFACE_TOKEN", description: "Hugging Face organisation API token", source: "gitleaks huggingface-organization-api-token", prefixes: ["api_org_"], body: [{ chars: "A-Za-z", min: 34 }], score: 0.9 },
  { type: "REPLICATE_API_TOKEN", description: "Replicate API token", source: "Replicate API tokens (r8_ + 37)", prefixes: ["r8_"], body: [alnum(37)], score: 0.9 },
  { type: "GROQ_API_KEY", description: "Groq API key", source: "Groq API keys (gsk_ + 52)", prefixes: ["gsk_"], body: [alnum(52)], score: 0.95 },
  { type: "PERPLEXITY_API_KEY", description: "Perplexity API key", source: "gitleaks perplexity-api-key", prefixes: ["pplx-"], body: [alnum(48)], score: 0.95 },
  { type: "XAI_API_KEY", description: "xAI API key", source: "xAI API keys (xai- + 80)", prefixes: ["xai-"], body: [alnum(80)], score: 0.95 },
  { type: "COHERE_API_KEY", description: "Cohere API key assigned to a cohere key", source: "gitleaks cohere-api-token", keywords: ["cohere"], body: [alnum(40)], score: 0.8 },
  { type: "MISTRAL_API_KEY", description: "Mistral API key assigned to a mistral key", source: "Mistral API keys (32 alphanumerics)", keywords: ["mistral"], body: [alnum(32)], score: 0.8 },
  // ── structural ───────────────────────────────────────────────────────────────────
  ...["", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED "].map((kind): SecretFormat => ({
    type: "PRIVATE_KEY", description: `PEM ${kind}private key block, BEGIN through END line`, source: "gitleaks private-key; RFC 7468",
    prefixes: [`-----BEGIN ${kind}PRIVATE KEY-----`], leftBoundary: false, rightBoundary: false,
    body: [{ until: `-----END ${kind}PRIVATE KEY-----` }], validator: "private_key", minEntropy: 0, score: 0.99,
  })),
  { type: "PRIVATE_KEY", description: "PGP private key block", source: "gitleaks private-key; RFC 4880 §6.2", prefixes: ["-----BEGIN PGP PRIVATE KEY BLOCK-----"], leftBoundary: false, rightBoundary: false, body: [{ until: "-----END PGP PRIVATE KEY BLOCK-----" }], validator: "private_key", minEntropy: 0, score: 0.99 },
  { type: "JWT", description: "JSON Web Token: header.payload.signature, header decodes to JSON with \"alg\"", source: "gitleaks jwt; RFC 7519", prefixes: ["eyJ"], body: [wordDash(10, 4000), { lit: "." }, wordDash(2, 8000), { lit: "." }, wordDash(0, 4000)], validator: "jwt", score: 0.9 },
  { type: "BASIC_AUTH", description: "Password in a URL's userinfo (scheme://user:password@host); the span is the password", source: "detect-secrets basic_auth", prefixes: ["://"], leftBoundary: false, rightBoundary: false, body: [{ chars: "A-Za-z0-9_.~%!$&*+;=-", min: 1, max: 128 }, { lit: ":" }, { chars: "A-Za-z0-9_.~%!$&*+;=:()-", min: 1, max: 256 }, { lit: "@" }, { chars: "A-Za-z0-9[", min: 1 }], span: [2, 2], validator: "basic_auth", minEntropy: 0, score: 0.85 },
];

/** Every type name the matcher can emit. */
export const SECRET_TYPE_NAMES: string[] = [...new Set([...SECRET_FORMATS.map((f) => f.type), GENERIC_SECRET])];
