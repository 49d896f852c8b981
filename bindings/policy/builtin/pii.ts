// The builtin PII entities, in engine code order (assembly/engine/detectors/pii/codes.ts:
// PII_ENTITIES[i].code === i === PiiCode.<name>). The compiler maps each enabled entity to
// a policy type id; the engine raises a finding's score when one of `context` appears as
// a whole word shortly before it and lowers it for `negativeContext` (Presidio's
// context enhancement). Context words are lower-case whole words.

export interface PiiEntity {
  /** Entity type name used in policies and findings, e.g. "CREDIT_CARD". */
  name: string;
  /** Builtin code: the index of this entry. */
  code: number;
  description: string;
  /** Words that make the match more likely this entity. */
  context: string[];
  /** Words that make a number less likely personal data. */
  negativeContext: string[];
}

/** Words near which a number is usually a business reference, not personal data. */
const NUMBER_NEGATIVE = [
  "order", "invoice", "tracking", "version", "isbn", "ref", "reference", "sku", "serial",
  "build", "ticket", "issue", "case", "part", "model", "batch", "lot", "receipt", "transaction",
];

const ID_NEGATIVE = ["order", "invoice", "tracking", "ref", "sku", "serial", "build", "version", "isbn"];

/**
 * Builtin PII entities in code order.
 *
 * @example
 *   PII_ENTITIES.find((e) => e.name === "CREDIT_CARD")!.code === 2
 */
export const PII_ENTITIES: PiiEntity[] = [
  {
    name: "EMAIL", code: 0, description: "E-mail address (RFC 5322 dot-atom local part, DNS domain)",
    context: ["email", "e-mail", "mail", "contact", "address"], negativeContext: [],
  },
  {
    name: "PHONE", code: 1,
    description: "Telephone number: international (+CC), NANP, or national GB/DE/FR/IN layouts",
    context: ["phone", "call", "tel", "telephone", "mobile", "cell", "whatsapp", "fax", "number", "contact", "sms", "text"],
    negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "CREDIT_CARD", code: 2, description: "Payment card number (issuer prefix and length, Luhn)",
    context: ["card", "visa", "credit", "debit", "cc", "mastercard", "amex", "discover", "payment", "pan", "cvv", "expiry"],
    negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "IBAN", code: 3, description: "International bank account number (country length, mod 97)",
    context: ["iban", "bank", "account", "transfer", "sepa", "bic", "swift"], negativeContext: [],
  },
  {
    name: "US_SSN", code: 4, description: "US social security number (3-2-4, SSA issuance rules)",
    context: ["ssn", "social", "security", "ss#", "ssa"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "IP_ADDRESS", code: 5, description: "IPv4 dotted quad or IPv6 address (with prefix length)",
    context: ["ip", "ipv4", "ipv6", "address", "host", "server", "client", "subnet"],
    negativeContext: ["version", "release", "build"],
  },
  {
    name: "UK_NHS", code: 6, description: "UK NHS number (mod 11)",
    context: ["nhs", "health", "patient", "hospital"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "UK_NINO", code: 7, description: "UK National Insurance number",
    context: ["nino", "national", "insurance", "ni"], negativeContext: ID_NEGATIVE,
  },
  {
    name: "CA_SIN", code: 8, description: "Canadian social insurance number (Luhn)",
    context: ["sin", "social", "insurance", "nas", "canada"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "IN_AADHAAR", code: 9, description: "Indian Aadhaar number (Verhoeff)",
    context: ["aadhaar", "aadhar", "uid", "uidai"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "ES_NIF", code: 10, description: "Spanish NIF / DNI (control letter)",
    context: ["nif", "dni", "documento", "identidad"], negativeContext: ID_NEGATIVE,
  },
  {
    name: "ES_NIE", code: 11, description: "Spanish foreigner id NIE (control letter)",
    context: ["nie", "extranjero", "extranjería"], negativeContext: ID_NEGATIVE,
  },
  {
    name: "IT_FISCAL_CODE", code: 12, description: "Italian codice fiscale (check letter, omocodia)",
    context: ["codice", "fiscale", "cf", "tax"], negativeContext: ID_NEGATIVE,
  },
  {
    name: "DE_TAX_ID", code: 13, description: "German tax identification number (IdNr, ISO 7064)",
    context: ["steuer", "steuerid", "idnr", "steueridentifikationsnummer", "tin", "tax"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "PL_PESEL", code: 14, description: "Polish PESEL (birth date, check digit)",
    context: ["pesel"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "AU_TFN", code: 15, description: "Australian tax file number (weighted mod 11)",
    context: ["tfn", "tax", "file"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "AU_ABN", code: 16, description: "Australian business number (mod 89)",
    context: ["abn", "business", "australian"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "US_ITIN", code: 17, description: "US individual taxpayer identification number (9XX-7X-XXXX)",
    context: ["itin", "taxpayer", "tax", "tin"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "US_ABA_ROUTING", code: 18, description: "US ABA bank routing number (3-7-1 checksum)",
    context: ["aba", "routing", "rtn", "bank", "transit"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "NL_BSN", code: 19, description: "Dutch citizen service number BSN (11-proef)",
    context: ["bsn", "burgerservicenummer", "sofinummer"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "BR_CPF", code: 20, description: "Brazilian CPF (two check digits)",
    context: ["cpf", "cadastro", "contribuinte"], negativeContext: NUMBER_NEGATIVE,
  },
  {
    name: "SG_NRIC", code: 21, description: "Singapore NRIC / FIN (check letter)",
    context: ["nric", "fin", "singapore", "ic"], negativeContext: ID_NEGATIVE,
  },
];

/** Entity type names in code order: PII_TYPE_NAMES[code]. */
export const PII_TYPE_NAMES: string[] = PII_ENTITIES.map((e) => e.name);
