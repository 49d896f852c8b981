// Phone number plausibility: ITU-T E.164 country calling codes with the range of national
// number lengths each uses, and the North American Numbering Plan's structure rules.

import { allDigits, decimalAt, digitAt } from "./ascii";

// Assigned country calling codes and their national-number lengths, as u16 triples
// (code, min, max), sorted by code, 216 rows (1,296 bytes). Calling codes form a prefix
// code (no assigned code is a prefix of another, so numbers parse unambiguously), so at
// most one of the 1-, 2- and 3-digit prefixes of a number is in the table.
// Source: libphonenumber metadata (PhoneNumberMetadata.xml via libphonenumber-js 1.13.16
// metadata.max.json): min and max of possibleLengths over every region sharing the code,
// non-geographic codes (800, 808, 870, 878, 881-883, 888, 979) included. Overrides:
// +1 is 10..10 (Canada's 7-digit 310-xxxx numbers are not dialable from abroad);
// +379 (Vatican, assigned but unused) has no metadata and gets the generic 4..14.
const CODES = memory.data<u16>([
    1, 10, 10, // US CA and the NANP islands (NANP; see note above)
    7, 10, 14, // RU KZ
   20,  8, 10, // EG
   27,  5, 10, // ZA
   30, 10, 12, // GR
   31,  5, 11, // NL
   32,  8,  9, // BE
   33,  9,  9, // FR
   34,  9,  9, // ES
   36,  8,  9, // HU
   39,  6, 12, // IT VA
   40,  6,  9, // RO
   41,  9, 12, // CH
   43,  4, 13, // AT
   44,  7, 10, // GB GG IM JE
   45,  8,  8, // DK
   46,  6, 12, // SE
   47,  5,  8, // NO SJ
   48,  6, 10, // PL
   49,  4, 15, // DE
   51,  8,  9, // PE
   52, 10, 10, // MX
   53,  6, 10, // CU
   54, 10, 11, // AR
   55,  8, 11, // BR
   56,  9, 11, // CL
   57,  8, 11, // CO
   58, 10, 10, // VE
   60,  8, 10, // MY
   61,  5, 12, // AU CC CX
   62,  7, 17, // ID
   63,  6, 13, // PH
   64,  5, 10, // NZ
   65,  8, 11, // SG
   66,  8, 13, // TH
   81,  8, 17, // JP
   82,  5, 14, // KR
   84,  7, 10, // VN
   86,  7, 12, // CN
   90,  7, 13, // TR
   91,  8, 13, // IN
   92,  8, 12, // PK
   93,  9,  9, // AF
   94,  9,  9, // LK
   95,  6, 10, // MM
   98,  4, 10, // IR
  211,  9,  9, // SS
  212,  9,  9, // MA EH
  213,  8,  9, // DZ
  216,  8,  8, // TN
  218,  9,  9, // LY
  220,  7,  9, // GM
  221,  9,  9, // SN
  222,  8,  8, // MR
  223,  8,  8, // ML
  224,  8,  9, // GN
  225, 10, 10, // CI
  226,  8,  8, // BF
  227,  8,  8, // NE
  228,  8,  8, // TG
  229, 10, 10, // BJ
  230,  7, 10, // MU
  231,  7,  9, // LR
  232,  8,  8, // SL
  233,  8,  9, // GH
  234, 10, 14, // NG
  235,  8,  8, // TD
  236,  8,  8, // CF
  237,  8,  9, // CM
  238,  7,  7, // CV
  239,  7,  7, // ST
  240,  9,  9, // GQ
  241,  7,  8, // GA
  242,  9,  9, // CG
  243,  7, 10, // CD
  244,  9,  9, // AO
  245,  7,  9, // GW
  246,  7,  7, // IO
  247,  5,  6, // AC
  248,  7,  7, // SC
  249,  9,  9, // SD
  250,  8,  9, // RW
  251,  9,  9, // ET
  252,  6,  9, // SO
  253,  8,  8, // DJ
  254,  7, 10, // KE
  255,  9,  9, // TZ
  256,  9,  9, // UG
  257,  8,  8, // BI
  258,  8,  9, // MZ
  260,  9,  9, // ZM
  261,  9,  9, // MG
  262,  9,  9, // RE YT
  263,  7, 10, // ZW
  264,  8,  9, // NA
  265,  7,  9, // MW
  266,  8,  8, // LS
  267,  7, 10, // BW
  268,  8,  9, // SZ
  269,  7,  7, // KM
  290,  4,  5, // SH TA
  291,  7,  7, // ER
  297,  7,  7, // AW
  298,  6,  6, // FO
  299,  6,  6, // GL
  350,  8,  8, // GI
  351,  9,  9, // PT
  352,  4, 11, // LU
  353,  7, 10, // IE
  354,  7,  9, // IS
  355,  6,  9, // AL
  356,  8,  8, // MT
  357,  8,  8, // CY
  358,  5, 12, // FI AX
  359,  6, 12, // BG
  370,  8,  8, // LT
  371,  8,  8, // LV
  372,  7, 10, // EE
  373,  8,  8, // MD
  374,  8,  8, // AM
  375,  6, 11, // BY
  376,  6,  9, // AD
  377,  8,  9, // MC
  378,  8, 10, // SM
  379,  4, 14, // VA (assigned, unused; no libphonenumber data: generic)
  380,  9, 10, // UA
  381,  6, 12, // RS
  382,  8,  9, // ME
  383,  8, 12, // XK
  385,  7,  9, // HR
  386,  5,  8, // SI
  387,  8,  9, // BA
  389,  8,  8, // MK
  420,  9, 12, // CZ
  421,  6,  9, // SK
  423,  7,  9, // LI
  500,  5,  5, // FK
  501,  7, 11, // BZ
  502,  8, 11, // GT
  503,  7, 11, // SV
  504,  8, 11, // HN
  505,  8,  8, // NI
  506,  8, 10, // CR
  507,  7, 11, // PA
  508,  6,  9, // PM
  509,  8,  8, // HT
  590,  9,  9, // GP BL MF
  591,  8,  9, // BO
  592,  7,  7, // GY
  593,  8, 11, // EC
  594,  9,  9, // GF
  595,  6, 11, // PY
  596,  9,  9, // MQ
  597,  6,  7, // SR
  598,  4, 13, // UY
  599,  7,  8, // CW BQ
  670,  7,  8, // TL
  672,  6,  6, // NF
  673,  7,  7, // BN
  674,  7,  7, // NR
  675,  7,  8, // PG
  676,  5,  7, // TO
  677,  5,  7, // SB
  678,  5,  7, // VU
  679,  7, 11, // FJ
  680,  7,  7, // PW
  681,  6,  9, // WF
  682,  5,  5, // CK
  683,  4,  7, // NU
  685,  5, 10, // WS
  686,  5,  8, // KI
  687,  6,  6, // NC
  688,  5,  7, // TV
  689,  6,  9, // PF
  690,  4,  7, // TK
  691,  7,  7, // FM
  692,  7,  7, // MH
  800,  8,  8, // non-geographic
  808,  8,  8, // non-geographic
  850,  8, 10, // KP
  852,  5, 11, // HK
  853,  7,  8, // MO
  855,  8, 10, // KH
  856,  8, 10, // LA
  870,  9, 12, // non-geographic
  878, 12, 12, // non-geographic
  880,  6, 10, // BD
  881,  9, 10, // non-geographic
  882,  7, 12, // non-geographic
  883,  8, 12, // non-geographic
  886,  7, 11, // TW
  888, 11, 11, // non-geographic
  960,  7, 10, // MV
  961,  7,  8, // LB
  962,  8,  9, // JO
  963,  8,  9, // SY
  964,  8, 10, // IQ
  965,  7,  8, // KW
  966,  9, 10, // SA
  967,  7,  9, // YE
  968,  7,  9, // OM
  970,  8, 10, // PS
  971,  5, 12, // AE
  972,  7, 12, // IL
  973,  8,  8, // BH
  974,  7, 11, // QA
  975,  7,  8, // BT
  976,  8, 10, // MN
  977,  8, 11, // NP
  979,  9,  9, // non-geographic
  992,  9,  9, // TJ
  993,  8,  8, // TM
  994,  9,  9, // AZ
  995,  9,  9, // GE
  996,  9, 10, // KG
  998,  9,  9, // UZ
]);
const CODE_ROWS = 216;

/** E.164 allows 15 digits in all; the shortest national numbers in the table have 4. */
const MAX_DIGITS = 15;

/**
 * Length (1-3) of the country calling code the n digits at p start with (international
 * form, no '+'), when the rest has a plausible national-number length for that code;
 * 0 otherwise (unassigned code, implausible length, non-digit).
 *
 * @example phoneCountryCodeLength(ptr("442071838750"), 12) == 2  // +44 20 7183 8750
 */
export function phoneCountryCodeLength(p: usize, n: i32): i32 {
  if (n < 2 || n > MAX_DIGITS || !allDigits(p, n)) return 0;
  let code: u32 = 0;
  for (let k = 1; k <= 3 && k < n; k++) {
    code = code * 10 + digitAt(p, k - 1);
    let row = findCode(code);
    if (row >= 0) {
      let at = CODES + <usize>row * 6;
      let national = <u32>(n - k);
      return national >= <u32>load<u16>(at, 2) && national <= <u32>load<u16>(at, 4) ? k : 0;
    }
  }
  return 0;
}

/** Row index of code in CODES by binary search, or -1. */
function findCode(code: u32): i32 {
  let lo = 0;
  let hi = CODE_ROWS - 1;
  while (lo <= hi) {
    let mid = (lo + hi) >>> 1;
    let c = <u32>load<u16>(CODES + <usize>mid * 6);
    if (c == code) return mid;
    if (c < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * True when the 10 digits at p are a plausible NANP number NPA-NXX-XXXX (no leading 1):
 * NPA and NXX start with 2-9; the NPA is not an N11 service code, not in the unassigned
 * 37X and 96X blocks, and not 555; 555-0100..555-0199 is reserved for fiction
 * (NANPA, "555 NXX line numbers").
 *
 * @example nanpValid(ptr("2015550123"), 10) == false  // 555-01XX is fictional
 * @example nanpValid(ptr("2014561234"), 10) == true
 */
export function nanpValid(p: usize, n: i32): bool {
  if (n != 10 || !allDigits(p, n)) return false;
  if (digitAt(p, 0) < 2 || digitAt(p, 3) < 2) return false;
  let npa = decimalAt(p, 0, 3);
  if (npa % 100 == 11) return false;            // N11: 211, 311, ... 911
  let block = npa / 10;
  if (block == 37 || block == 96 || npa == 555) return false;
  let nxx = decimalAt(p, 3, 3);
  let line = decimalAt(p, 6, 4);
  return !(nxx == 555 && line >= 100 && line <= 199);
}
