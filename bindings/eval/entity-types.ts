// Data set span and entity types (Presidio, libphonenumber, php-iban, python-stdnum, gitleaks rule ids) → the
// Wardline finding type they should be found as. Types Wardline has no detector for
// (PERSON, LOCATION, DATE_TIME, …) map to nothing and are counted as "not detected by
// design", never as misses. Every secrets span type counts as the one type SECRET:
// the data's rule ids (gitleaks) are finer than Wardline's secret types.
export const SECRET_SPAN_TYPE = "SECRET";

export const SPAN_TYPE_MAP: Record<string, string> = {
  CREDIT_CARD: "CREDIT_CARD", IBAN_CODE: "IBAN", EMAIL_ADDRESS: "EMAIL", PHONE_NUMBER: "PHONE", US_SSN: "US_SSN",
  IP_ADDRESS: "IP_ADDRESS", UK_NHS: "UK_NHS", UK_NINO: "UK_NINO", CA_SIN: "CA_SIN", IN_AADHAAR: "IN_AADHAAR",
  ES_NIF: "ES_NIF", ES_NIE: "ES_NIE", IT_FISCAL_CODE: "IT_FISCAL_CODE", DE_TAX_ID: "DE_TAX_ID", PL_PESEL: "PL_PESEL",
  AU_TFN: "AU_TFN", AU_ABN: "AU_ABN", US_ITIN: "US_ITIN", ABA_ROUTING_NUMBER: "US_ABA_ROUTING", SG_NRIC_FIN: "SG_NRIC",
  // Presidio's country-specific phone recognizers: still phone numbers
  PH_MOBILE_NUMBER: "PHONE", TR_PHONE_NUMBER: "PHONE",
  // python-stdnum identifier types (stdnum_identifiers rows carry them as `type`)
  "stdnum.iban": "IBAN", "stdnum.au_abn": "AU_ABN", "stdnum.au_tfn": "AU_TFN", "stdnum.it_codicefiscale": "IT_FISCAL_CODE",
  // Wardline's own names, for hand-written data
  EMAIL: "EMAIL", PHONE: "PHONE", IBAN: "IBAN", US_ABA_ROUTING: "US_ABA_ROUTING", SG_NRIC: "SG_NRIC", NL_BSN: "NL_BSN", BR_CPF: "BR_CPF",
};

/**
 * The Wardline type a gold span of this type should be found as, or undefined.
 * @example
 * wardlineType("IBAN_CODE", "pii");        // "IBAN"
 * wardlineType("aws-access-token", "secrets"); // "SECRET"
 */
export function wardlineType(spanType: string, task: "pii" | "secrets"): string | undefined {
  return task === "secrets" ? SECRET_SPAN_TYPE : SPAN_TYPE_MAP[spanType];
}
