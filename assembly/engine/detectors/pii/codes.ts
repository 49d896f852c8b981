// Builtin PII entity codes. The order is part of the compiled-policy format: the PII
// section maps each code to a policy type id, and bindings/policy/builtin/pii.ts lists
// the same entities in the same order (PII_ENTITIES[code].code == code).

export const enum PiiCode {
  EMAIL = 0,
  PHONE = 1,
  CREDIT_CARD = 2,
  IBAN = 3,
  US_SSN = 4,
  IP_ADDRESS = 5,
  UK_NHS = 6,
  UK_NINO = 7,
  CA_SIN = 8,
  IN_AADHAAR = 9,
  ES_NIF = 10,
  ES_NIE = 11,
  IT_FISCAL_CODE = 12,
  DE_TAX_ID = 13,
  PL_PESEL = 14,
  AU_TFN = 15,
  AU_ABN = 16,
  US_ITIN = 17,
  US_ABA_ROUTING = 18,
  NL_BSN = 19,
  BR_CPF = 20,
  SG_NRIC = 21,
}

/** Number of builtin PII codes (length of the type map). */
export const PII_CODE_COUNT: i32 = 22;

/** Type-map value of an entity the policy does not detect. */
export const PII_DISABLED: u16 = 0xffff;
