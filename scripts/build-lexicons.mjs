// Builds policies/lexicons/toxicity.tsv (term<TAB>lang<TAB>category<TAB>severity) from
// ../shared/datasets/profanity_lexicons/data.jsonl, i.e. LDNOOBW (CC-BY-4.0) and Surge AI's
// English profanity list (MIT); credits in policies/lexicons/NOTICE.md.
//
//   node scripts/build-lexicons.mjs [--datasets DIR] [--report]
//
// Matching is whole-word on the word view (lower case, diacritics stripped, leetspeak and
// homoglyphs folded), so terms are written folded. Raw word lists flag ordinary text (the
// Scunthorpe problem), so the script
//   1. drops topic and anatomy words that ordinary prompts use (medicine, sex education,
//      history, news) and words that are everyday words in their own or in another language,
//   2. demotes ambiguous insults to mild,
//   3. drops every term that still hits a benign prompt as a whole word
//      (benign_prompts + benign_prompts_small_curated; unambiguous profanity quoted by a prompt
//      is demoted to mild instead), and non-English terms that are words of any benign row of the
//      public sets (tr "göt" folds to "got"),
// and reports the fraction of benign prompts the final lexicon hits.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const args = process.argv.slice(2);
const dirArg = args.indexOf("--datasets");
const DATASETS = dirArg >= 0 ? args[dirArg + 1] : new URL("../../shared/datasets", import.meta.url).pathname;
const OUT = "policies/lexicons/toxicity.tsv";
const REPORT = args.includes("--report");

const readJsonl = (name) =>
  readFileSync(`${DATASETS}/${name}/data.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l));

// --- folding: a JS stand-in for the engine's word view (assembly/engine/normalize/fold.ts) ---

const STRIP_EXTRA = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i", ħ: "h" };
function wordView(s) {
  return s
    .normalize("NFKD")
    .toLowerCase()
    .replace(/\p{M}/gu, "")
    .replace(/[ßæœøłđðþıħ]/g, (c) => STRIP_EXTRA[c])
    .replace(/\s+/g, " ")
    .trim();
}
// Leetspeak as the word view folds it; a term written in leet is also emitted in letters.
const LEET = { "@": "a", 4: "a", 3: "e", 1: "i", "!": "i", 0: "o", 5: "s", $: "s", 7: "t", "+": "t", 9: "g" };
const unleet = (s) => s.replace(/[@4310!5$7+9]/g, (c) => LEET[c]);

// --- judgement: what the raw lists get wrong -------------------------------------------------

// Topic, anatomy and medical words, identity terms, and everyday words or names: dropped.
const DROP = new Set(`
anal anus genitals clitoris klitoris rectum vagina vulva semen sperm sphincter urethra nipple nipples
breasts penis ejaculation intercourse masturbation masturbate masturbating orgasm orgasms sex sexy sexual
sexually sexuality sexo erotic erotism homoerotic nude nudity naked xx xxx nsfw hardcore escort
domination bondage incest rape raping rapist daterape pedophile paedophile pornography
lolita playboy viagra cialis hooker negro negroes negroid swastika neonazi
nazi kkk klan
santorum twink twinkie poof mong scat snatch
snowballing scissoring shrimping swinger fingering lovemaking bareback barenaked bastinado babeland
eunuch sadism fecal pegging octopussy undressing vibrator tit xx sodomy kinbaku shibari
gay homo homos lesbian queer queers bisexual homosexual transvestite travesti molester booty buttermilk
crow crows finger sheet sack swine peter abbie bates nuggets forked dolt tart tramp nip hoe hoes
knickers coolie cholo gyp slit slag bender flamer flamers dong wang knob muff crotch sissy spanking
bugger dipstick greaser hustler nonce ramrod scut shat bbc bwc cooties coot hoar jigger nicker spook
spooks mongrel spick pedo pedos bj 69 sixty-nine s&m sm 3p domination dominatrix dommes spunk
peen vag puss cack cawk caaak dix diks diddle shet shiat peener weenie weiner
retardotron tard suck sucks cumming cox coxuxor ep askin fak shis niger nigerz leitch leitches weiback hell damn fanny
`.trim().split(/\s+/));
// Multi-word entries.
for (const t of ["hard core", "date rape", "how to kill", "how to murder", "white power", "girl on", "tied up",
  "taste my", "tongue in a", "big black", "huge fat", "tight white", "hot carl", "jelly donut", "pleasure chest",
  "sultry women", "tainted love", "strap on", "jim crow", "loose woman", "man meat", "go to hell", "god damn"]) DROP.add(t);

// Everyday words in their own language (LDNOOBW lists some plain vocabulary) or common words of
// other languages; a per-language reading of the non-English lists.
const DROP_FOREIGN = new Set(`
de:bimbo de:bonze de:fratze de:mufti de:nackt de:penis de:porno de:popel de:rosette de:nippel de:orgasmus de:pinkeln de:kimme de:lümmel
fr:bite fr:bitte fr:con fr:folle fr:gerbe fr:caca fr:pipi fr:péter fr:meuf fr:jouir fr:baiser fr:bander fr:gueule fr:suce fr:trique fr:tanche fr:ramoner fr:bourré fr:bourrée fr:chatte
es:asesinato es:asno es:drogas es:heroína es:idiota es:infierno es:maldito es:martillo es:nazi es:orina es:racista es:sexo es:trio es:travesti es:semen es:vulva es:concha es:pis es:pedo es:prostituta es:sádico es:pervertido es:esperma es:coprofagía es:chupada es:mamada es:pezón es:imbécil es:maciza es:pinche
it:balle it:battere it:bagnarsi it:biga it:cadavere it:fava it:pesce it:regina it:tirare it:monta it:montare it:palle it:pompa it:porca it:porco it:sega it:vacca it:topa it:quaglia it:spagnola it:cozza it:mona it:patacca it:brinca it:anale it:cornuto it:bordello it:sbattere it:imbecille it:cesso it:soccia it:ruffiano it:lecchino it:pippa it:picio it:rizzarsi it:casci it:lofare it:vangare it:terrone it:mannaggia it:guardone it:femminuccia it:ingoio it:goldone it:pisello it:potta
nl:anita nl:johny nl:asbak nl:balen nl:bekken nl:beurt nl:del nl:gat nl:hol nl:knor nl:matje nl:muts nl:nicht nl:paal nl:palen nl:poot nl:pot nl:reutelen nl:schatje nl:spuiten nl:standje nl:stootje nl:toeter nl:watje nl:zuigen nl:slempen nl:griet nl:poep nl:naakt nl:kanen nl:buffelen nl:boemelen nl:drol nl:engerd nl:huisdealer nl:gedoogzone nl:penoze nl:raaskallen nl:remsporen nl:vergallen nl:sufferd nl:dombo nl:mof nl:eikel nl:welzijnsmafia nl:brugpieper nl:klojo nl:tongzoeng nl:zaadje nl:mafketel nl:afrossen nl:belazeren nl:bedonderen nl:opzouten nl:oprotten nl:rukken nl:wippen nl:kwakkie nl:aso
pt:aborto pt:amador pt:aranha pt:ariano pt:bissexual pt:burro pt:cerveja pt:cocaína pt:comer pt:heroína pt:heterosexual pt:homosexual pt:mama pt:pinto pt:saco pt:torneira pt:inferno pt:camisinha pt:consolo pt:coito pt:lésbica pt:homoerótico pt:gozar pt:chupar pt:bumbum pt:vibrador pt:pênis pt:ânus pt:corno pt:grelho pt:balalao
sv:hård sv:olla sv:stake sv:sås sv:mutta sv:moona sv:moonade sv:moonar sv:moonat sv:pitt sv:tusan sv:brutta sv:prutt
da:pis da:cock da:fuck da:shit
no:fan no:satan no:pokker no:sinnsykt no:forbanna no:forbannet no:helvete no:helvetet no:pakkis
fi:muna fi:pano fi:panna fi:pistää fi:reikä fi:tavara fi:pipari fi:piru fi:palli fi:molo fi:reva fi:jätkä fi:hitto fi:viiksi fi:pehko fi:toosa fi:hatullinen fi:haahka fi:naida fi:pantava fi:suklaaosasto fi:tuhkaluukku fi:hitosti fi:mutiainen fi:lahtari fi:paljaalla fi:pentele
pl:jajko pl:jajco pl:cyc pl:syf pl:suka pl:burdel pl:dupa pl:rzygać pl:sraczka
cs:bordel cs:debil cs:držka cs:dršťka cs:žrát cs:flundra
hu:marha hu:marhák hu:marhákat hu:marhát hu:franc hu:francok hu:francokat hu:francot hu:fing hu:fingok hu:fingokat hu:fingot hu:pofa hu:pofákat hu:pofát hu:pele hu:pelék hu:búr hu:búrok hu:barom hu:buksza hu:megdöglik
tr:am tr:amı tr:amlar tr:sik tr:sike tr:siki tr:sikin tr:çingene tr:göte tr:götte
hi:maal hi:pataka hi:patakha hi:suar hi:kutta hi:saala hi:najayaz hi:hawas hi:chakke hi:hijra hi:hijda hi:kamine hi:kaminey hi:tharak hi:gucchi hi:gucchu hi:harami hi:bhangi
fil:bobo fil:tanga fil:bayag
eo:fek eo:fik eo:kojono
kab:qqu kab:uqan kab:taxna
fr-CA-u-sd-caqc:calice fr-CA-u-sd-caqc:noune
ru:byk ru:gol ru:petuh ru:uboy ru:бугор ru:голый ru:мент ru:секс ru:хохол ru:фига ru:хапать ru:обнаженный ru:хрен ru:офигеть ru:padlo ru:svoloch ru:styervo
ja:いたずら ja:ファンタジー ja:女の子 ja:嫌い ja:人種 ja:支配 ja:ラバー ja:フック ja:デブ ja:誘惑 ja:拷問 ja:殺人事件 ja:殺人方法 ja:殺し方 ja:奴隷 ja:人妻 ja:なめ ja:3p ja:sm ja:グロ ja:カント ja:エスコート ja:スリット ja:コカイン ja:女子高生 ja:両性 ja:裸 ja:覗き ja:平手打ち ja:噴出 ja:脱衣 ja:挿入 ja:直腸 ja:生殖器 ja:ヌード ja:セクシーな ja:しばり ja:縛り ja:宦官 ja:卍 ja:ぽっちゃり ja:毛深い ja:変態 ja:エッチ ja:アジアのかわいい女の子 ja:女装 ja:自己愛性 ja:ランジェリー ja:ラティーナ ja:エクスタシー ja:オカマ ja:ホモ ja:ゲイボーイ ja:レズビアン ja:セックス ja:ポルノ ja:糞
zh:13. zh:13点 zh:九游 zh:乳 zh:奶 zh:性 zh:成人 zh:激情 zh:祖宗 zh:私服 zh:卵 zh:卵子 zh:处女 zh:老二 zh:老母 zh:包皮 zh:月经 zh:精子 zh:笨蛋 zh:白痴 zh:白癡 zh:乳房 zh:乳头 zh:交配 zh:老味 zh:你老味 zh:你老母 zh:你老闆 zh:粉腸 zh:柒 zh:尻 zh:鳩 zh:撚 zh:你全家 zh:放荡 zh:迷药 zh:情色 zh:色情 zh:妓 zh:奸 zh:姦 zh:淫 zh:爛 zh:賤 zh:幹 zh:逼 zh:屌 zh:肏 zh:屄 zh:玉杵 zh:密洞 zh:双峰微颤 zh:口肯 zh:刚度 zh:鬼公 zh:私服 zh:阴部 zh:阴道 zh:阴茎 zh:陰莖 zh:外阴 zh:性器 zh:花柳 zh:野鸡 zh:强奸 zh:靠背 zh:靠腰 zh:撒尿 zh:硬膠 zh:笨實
ko:미친 ko:망가 ko:노모 ko:유모 ko:에로 ko:고자 ko:근친 ko:강간 ko:섹스 ko:포르노 ko:변태 ko:애자 ko:야사 ko:호로 ko:육갑 ko:하드코어 ko:거유 ko:로리타 ko:몰카 ko:스와핑
ar:لعق ar:لحس ar:مص ar:تمص ar:ثدي ar:شهوة ar:جماع ar:احتلام ar:اغتصاب ar:حلمة ar:سكس ar:شاذ ar:مبادل ar:بيضان ar:قضيب ar:شرج ar:فرج
fa:سوپر fa:داف fa:حشر fa:منی fa:لخت fa:برهنه fa:تجاوز fa:سکس fa:سکسی fa:ارگاسم fa:شهوت fa:هرزه fa:لش fa:پورن fa:پورنو
th:กู th:มึง th:ขี้ th:กะปิ th:ห่า th:สัด th:หลั่ง th:กระดอ
`.trim().split(/\s+/));
// Multi-word entries ("lang:term with spaces").
for (const line of `fr:grande folle|fr:ménage à trois|es:haciendo el amor|es:tía buena|it:nave scuola|it:porca miseria|it:zio cantante|nl:gras maaien|nl:de hond uitlaten|nl:de koffer induiken|nl:de pijp uitgaan|nl:driehoog achter wonen|nl:de ballen|pt:homem gay|pt:frango assado|pt:passar um cheque|pt:dum raio|sv:sätta på|fi:alfred nussi|fil:tang ina|ru:другой дразнится|ru:какая разница|ru:на фиг|ru:половое сношение|ja:アジアのかわいい女の子`.split("|")) DROP_FOREIGN.add(line);

const DROP_FOREIGN_FOLDED = new Set([...DROP_FOREIGN].map((k) => k.replace(/:(.*)$/, (_, t) => ":" + wordView(t))));

// Ambiguous insults and mild vulgarity: kept, but mild.
const MILD = new Set(`
ass butt bastard boob boobs booty call kinky horny panties panty hot chick spread legs strip club voyeur
tosser spastic grope humping dick cocks cum pussy coon coons masturbate porn pubes smut threesome tits
titty titties topless tushy wet dream yaoi bollocks crap piss bitchy dumbass jackass douche douchebag
goddamn retard retarded prick pecker hooters bloody arse twat tranny
`.trim().split(/\s+/));
MILD.add("oral sex");

// Surge AI categories → short category names.
const CATEGORY = {
  "sexual anatomy / sexual acts": "sexual",
  "bodily fluids / excrement": "bodily",
  "sexual orientation / gender": "identity_slur",
  "racial / ethnic slurs": "ethnic_slur",
  "other / general insult": "insult",
  "mental disability": "disability_slur",
  "physical disability": "disability_slur",
  "physical attributes": "insult",
  "animal references": "insult",
  "religious offense": "religious",
  political: "political",
};
const SEVERITY_RANK = { mild: 0, strong: 1, severe: 2 };

// --- build ----------------------------------------------------------------------------------

const rows = readJsonl("profanity_lexicons");
const entries = new Map(); // term → { term, lang, category, severity }
function add(term, lang, category, severity) {
  if (!term || /^[\d\s\p{P}]+$/u.test(term)) return; //  "69", "13.": numbers are not words
  const old = entries.get(term);
  if (old) {
    if (old.lang !== "en" && lang === "en") return void entries.set(term, { term, lang, category, severity });
    // Surge rows carry real categories and severities; prefer them, then the stronger severity.
    if (old.category !== "obscene" && category === "obscene") return;
    if (old.category === category && SEVERITY_RANK[old.severity] >= SEVERITY_RANK[severity]) return;
  }
  entries.set(term, { term, lang, category, severity });
}
for (const r of rows) {
  const lang = r.lang;
  const term = wordView(r.text);
  if (DROP.has(term) || DROP_FOREIGN_FOLDED.has(`${lang}:${term}`)) continue;
  const surge = r.source.startsWith("surge");
  let category = surge ? CATEGORY[r.subcategory] ?? "insult" : "obscene";
  let severity = surge ? r.severity.toLowerCase() : "strong";
  if (MILD.has(term)) severity = "mild";
  // A single CJK character is a word of many ordinary compounds (性 in 性能 "performance").
  if ([...term].length === 1 && /\p{Script=Han}/u.test(term)) continue;
  add(term, lang, category, severity);
  const plain = unleet(term);
  // Spelled out only when that gives whole words ("bi+ch" → "bitch", but "bi + ch" → "bi t ch" no).
  const words = /^[a-z][a-z '-]*$/.test(plain) && !/(^| )[a-z]( |$)/.test(plain);
  if (plain !== term && words && !DROP.has(plain)) add(plain, lang, category, MILD.has(plain) ? "mild" : severity);
}

// --- benign check ---------------------------------------------------------------------------

const benign = [...readJsonl("benign_prompts"), ...readJsonl("benign_prompts_small_curated")].map((r) => wordView(r.text));
// Words of benign prompts in any language (English, and the German of deepset's benign rows):
// a non-English term that is one of them is an everyday word somewhere.
const benignOther = ["deepset_prompt_injections", "jackhhao_jailbreak_classification", "safeguard_prompt_injection",
  "spml_chatbot_prompt_injection"].flatMap((n) => readJsonl(n).filter((r) => r.label === 0).map((r) => wordView(r.text)));
const vocabulary = new Set([...benign, ...benignOther].flatMap((t) => t.match(/[\p{L}]+/gu) ?? []));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const termRegex = (t) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(t).replace(/ /g, "\\s+")}(?![\\p{L}\\p{N}])`, "u");

// Prompts that quote the toxic sentence they ask about ("find the toxic word: … you are a bastard")
// hit unambiguous profanity legitimately; such terms are demoted to mild instead of dropped.
const PROFANE = new Set(["bastard", "fucked", "fucked up"]);
const dropped = [];
for (const e of [...entries.values()]) {
  const re = termRegex(e.term);
  const hits = benign.filter((t) => re.test(t)).length;
  const foreignWord = e.lang !== "en" && !e.term.includes(" ") && vocabulary.has(e.term);
  if (hits > 0 && !foreignWord && PROFANE.has(e.term)) {
    e.severity = "mild";
    dropped.push(`${e.term} (${e.lang}, ${hits} benign hits): demoted to mild`);
  } else if (hits > 0 || foreignWord) {
    dropped.push(`${e.term} (${e.lang}, ${hits} benign hits${foreignWord ? ", a word of benign prompts" : ""})`);
    entries.delete(e.term);
  }
}

const list = [...entries.values()].sort((a, b) => a.lang.localeCompare(b.lang) || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
const header = [
  "# Toxicity lexicon: term<TAB>lang<TAB>category<TAB>severity (mild|strong|severe).",
  "# GENERATED by scripts/build-lexicons.mjs from LDNOOBW (CC-BY-4.0) and Surge AI's profanity list (MIT);",
  "# see NOTICE.md. Terms are folded (word view: lower case, no diacritics, leetspeak spelled out) and match whole words.",
];
mkdirSync("policies/lexicons", { recursive: true });
writeFileSync(OUT, header.join("\n") + "\n" + list.map((e) => `${e.term}\t${e.lang}\t${e.category}\t${e.severity}`).join("\n") + "\n");

// The final lexicon's benign hit rate (0 by construction of step 3, reported as a check).
const all = list.map((e) => termRegex(e.term));
const hit = benign.filter((t) => all.some((re) => re.test(t))).length;
console.log(`${OUT}: ${list.length} terms; dropped or demoted by the benign check: ${dropped.length}; ` +
  `benign prompts hit: ${hit}/${benign.length} (${((100 * hit) / benign.length).toFixed(2)} %)`);
if (REPORT) {
  console.log(dropped.join("\n"));
  // English terms that benign prompts of other sets use: candidates for DROP or MILD.
  console.log("en terms used by benign rows of other sets:", list.filter((e) => e.lang === "en" && benignOther.some((t) => termRegex(e.term).test(t))).map((e) => `${e.term}/${e.severity}`).join(", "));
}
