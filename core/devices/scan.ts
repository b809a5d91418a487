import { z } from 'zod';
import { Instant } from '../ids';
import { DeviceId } from './ids';

/**
 * What a scan read, whatever read it. HID POS scanners, serial scanners and
 * keyboard-wedge scanners (read in the renderer) all produce this one shape.
 */
export const SYMBOLOGIES = [
  'ean13',
  'ean8',
  'upc_e',
  'code128',
  'gs1_128',
  'code39',
  'code93',
  'codabar',
  'itf',
  'qr',
  'data_matrix',
  'pdf417',
  'aztec',
  'gs1_databar',
  'unknown',
] as const;
export const Symbology = z.enum(SYMBOLOGIES);
export type Symbology = z.infer<typeof Symbology>;

/** An AIM symbology identifier: "]" + code character + modifier, e.g. "]E0" (EAN-13). */
export const AimId = z.string().regex(/^\][A-Za-z0-9][0-9A-Za-z]$/, 'an AIM identifier like ]E0');
export type AimId = z.infer<typeof AimId>;

export const SCAN_SOURCE_KINDS = ['hid', 'serial', 'keyboard'] as const;
export const ScanSource = z
  .object({
    kind: z.enum(SCAN_SOURCE_KINDS),
    /** The configured device that read it; null for a keyboard-wedge scanner. */
    deviceId: DeviceId.nullable(),
  })
  .strict();
export type ScanSource = z.infer<typeof ScanSource>;

export const ScanEvent = z
  .object({
    /**
     * The decoded data, AIM identifier removed. Not SafeText: GS1 codes carry
     * GS (U+001D) between their fields; the classifier turns a scan into a
     * voucher code, a barcode or "unknown", and those schemas refuse the rest.
     */
    value: z.string().min(1).max(4096),
    aim: AimId.nullable(),
    symbology: Symbology,
    source: ScanSource,
    /** When the last byte arrived (the reading process's clock). */
    at: Instant,
  })
  .strict();
export type ScanEvent = z.infer<typeof ScanEvent>;

/**
 * Symbology named by an AIM identifier (ISO/IEC 15424). UPC-A arrives as an
 * EAN-13 with a leading 0 under "]E0", so it is reported as ean13.
 */
export function symbologyFromAim(aim: string | null): Symbology {
  if (aim === null || aim.length !== 3 || aim[0] !== ']') return 'unknown';
  const code = aim[1];
  const modifier = aim[2];
  switch (code) {
    case 'E':
      return modifier === '4' ? 'ean8' : 'ean13';
    case 'C':
      return modifier === '1' ? 'gs1_128' : 'code128';
    case 'A':
      return 'code39';
    case 'G':
      return 'code93';
    case 'F':
      return 'codabar';
    case 'I':
      return 'itf';
    case 'Q':
      return 'qr';
    case 'd':
      return 'data_matrix';
    case 'L':
      return 'pdf417';
    case 'z':
      return 'aztec';
    case 'e':
      return 'gs1_databar';
    default:
      return 'unknown';
  }
}

/** Splits a leading AIM identifier off scanned text: "]E06901234567892" -> ("]E0", "6901…"). */
export function splitAim(text: string): { readonly aim: AimId | null; readonly value: string } {
  const head = text.slice(0, 3);
  if (text.length > 3 && AimId.safeParse(head).success) {
    return { aim: head, value: text.slice(3) };
  }
  return { aim: null, value: text };
}
