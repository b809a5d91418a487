/**
 * What the scanner reads (DESIGN.md "Codes that the scanner reads"): one
 * classifier for every scan, and the Ed25519-signed voucher codes the chain
 * issues itself.
 */
export { classifyScan, type ScanConfig } from './classify';
export { generateCodeKeys, issueSignedCode, verifySignedCode, type CodeSigner } from './signed';
export { parseCodesCsv } from './import-csv';
