// Test-only entry: exports every PII validator over a reusable input buffer, so that
// test/validators.test.ts checks the compiled wasm the engine actually runs.

export { luhnValid } from "../../engine/validators/luhn";
export { cardIssuerValid } from "../../engine/validators/card";
export { ibanValid } from "../../engine/validators/iban";
export { usSsnValid } from "../../engine/validators/us_ssn";
export { usItinValid } from "../../engine/validators/us_itin";
export { abaRoutingValid } from "../../engine/validators/us_aba";
export { verhoeffValid } from "../../engine/validators/verhoeff";
export { aadhaarValid } from "../../engine/validators/in_aadhaar";
export { nhsValid } from "../../engine/validators/uk_nhs";
export { ninoValid } from "../../engine/validators/uk_nino";
export { caSinValid } from "../../engine/validators/ca_sin";
export { esNifValid, esNieValid } from "../../engine/validators/es_nif";
export { itFiscalCodeValid } from "../../engine/validators/it_fiscal_code";
export { deTaxIdValid } from "../../engine/validators/de_tax_id";
export { peselValid } from "../../engine/validators/pl_pesel";
export { auTfnValid } from "../../engine/validators/au_tfn";
export { auAbnValid } from "../../engine/validators/au_abn";
export { nlBsnValid } from "../../engine/validators/nl_bsn";
export { brCpfValid } from "../../engine/validators/br_cpf";
export { sgNricValid } from "../../engine/validators/sg_nric";
export { phoneCountryCodeLength, nanpValid } from "../../engine/validators/phone";
export { ipv4Valid, ipv6Valid } from "../../engine/validators/ip";
export { shannonEntropy } from "../../engine/validators/entropy";

let input = new StaticArray<u8>(64);

/** Pointer to a buffer of at least len bytes; valid until the next call. */
export function buf(len: i32): usize {
  if (len > input.length) input = new StaticArray<u8>(len);
  return changetype<usize>(input);
}
