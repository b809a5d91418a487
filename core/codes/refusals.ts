/** Why a scan is not usable; each has a zh-CN and an English message (core/messages). */
export type ScanRefusal =
  'EMPTY' | 'BAD_CHECK_DIGIT' | 'UNRECOGNISED' | 'MALFORMED' | 'FORGED' | 'NO_PUBLIC_KEY';

export const SCAN_REFUSALS = [
  'EMPTY',
  'BAD_CHECK_DIGIT',
  'UNRECOGNISED',
  'MALFORMED',
  'FORGED',
  'NO_PUBLIC_KEY',
] as const satisfies readonly ScanRefusal[];
