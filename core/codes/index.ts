/**
 * What the scanner reads (DESIGN.md "Codes that the scanner reads"): one
 * classifier for every scan, and the Ed25519-signed voucher codes the chain
 * issues itself.
 */
export { classifyScan, type ScanConfig, type ScanResult } from './classify';
export { type AimIdentifier, splitAim, type SymbologyFamily } from './aim';
export { hasValidCheckDigit, type ProductSymbology } from './gtin';
export { SCAN_REFUSALS, type ScanRefusal } from './refusals';
export {
  generateCodeKeys,
  isValidPublicKeyHex,
  issueSignedCode,
  MAX_SIGNED_BATCH_ID_BYTES,
  SIGNED_CODE_PREFIX,
  type SignedPayload,
  verifySignedCode,
  type VerifyFailure,
} from './signed';
