// What other features (Stripe pipeline, admin, account endpoints) call.
export { issueLicense, type IssueLicenseInput, type IssuedLicense } from "./issue-license";
export { mintLicenseToken, newestLicenseKey, type LicenseToMint, type MintedToken } from "./mint-license-token";
export { licenseStanding, type Standing } from "./license-standing";
