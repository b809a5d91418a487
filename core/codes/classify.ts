import { VoucherCode } from '../ids';
import type { Locale } from '../messages/format';
import { scanRefusalMessage } from '../messages/scan';
import { type AimIdentifier, splitAim } from './aim';
import { hasValidCheckDigit, PRODUCT_LENGTHS, type ProductSymbology } from './gtin';
import { MEMBER_CARD_PATTERN } from '../members';
import type { ScanRefusal } from './refusals';
import {
  isValidPublicKeyHex,
  SIGNED_CODE_PREFIX,
  type SignedPayload,
  verifySignedCode,
} from './signed';

/** How this terminal's scanners are set up. */
export interface ScanConfig {
  /** Text the scanner is configured to send before each code. */
  readonly prefix?: string;
  /** Text the scanner is configured to send after each code (before any CR/LF). */
  readonly suffix?: string;
  /** The chain's Ed25519 public key (hex) for signed voucher codes. */
  readonly codePublicKeyHex?: string;
  /** Language of refusal messages; default zh-CN. */
  readonly locale?: Locale;
}

interface Scanned {
  /** The symbology the scanner reported, when it sends AIM identifiers. */
  readonly aim: AimIdentifier | null;
}

export type ScanResult =
  | (Scanned & {
      readonly kind: 'voucher';
      readonly code: VoucherCode;
      /** Verified content of a Tillpoint-signed code; null for other codes (looked up by the server). */
      readonly signed: SignedPayload | null;
    })
  /** A member card (会员卡) of the chain: "TPM-" and 8 digits. */
  | (Scanned & { readonly kind: 'member_card'; readonly card: string })
  /** A WeChat Pay payment code (付款码) shown by the customer. */
  | (Scanned & { readonly kind: 'payment_code'; readonly code: string })
  | (Scanned & {
      readonly kind: 'product';
      readonly barcode: string;
      readonly symbology: ProductSymbology;
    })
  | (Scanned & {
      readonly kind: 'unknown';
      readonly reason: ScanRefusal;
      readonly message: string;
      /** What was left after stripping, for the log. */
      readonly text: string;
    });

// Scanners end codes with CR, LF or Tab; keyboard wedges may add stray spaces. Control
// characters (below 0x20, and DEL) are never part of a code's ends.
const isEdgeJunk = (c: number): boolean => c <= 0x20 || c === 0x7f || c === 0xa0 || c === 0x3000;

function trimControls(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isEdgeJunk(s.charCodeAt(start))) start += 1;
  while (end > start && isEdgeJunk(s.charCodeAt(end - 1))) end -= 1;
  return s.slice(start, end);
}

const PAYMENT_CODE = /^1[0-5]\d{16}$/;

function strip(raw: string, config: ScanConfig): { text: string; aim: AimIdentifier | null } {
  let text = trimControls(raw);
  const { prefix, suffix } = config;
  let prefixed = false;
  if (prefix !== undefined && prefix !== '' && text.startsWith(prefix)) {
    text = text.slice(prefix.length);
    prefixed = true;
  }
  // Scanners put the AIM identifier before or after the configured prefix.
  const split = splitAim(text);
  if (split !== null) text = split.rest;
  if (!prefixed && prefix !== undefined && prefix !== '' && text.startsWith(prefix))
    text = text.slice(prefix.length);
  if (suffix !== undefined && suffix !== '' && text.endsWith(suffix))
    text = text.slice(0, -suffix.length);
  return { text: trimControls(text), aim: split?.aim ?? null };
}

/**
 * Turns one raw scan into what it is. After stripping control characters,
 * the configured prefix/suffix and any AIM identifier:
 *  1. 18 digits starting 10–15 → a WeChat payment code (checked before
 *     product barcodes: 18 digits is never an EAN);
 *  2. 8, 12 or 13 digits with a valid GS1 check digit → a product barcode
 *     (EAN-8, UPC-A, EAN-13). When the scanner says EAN/UPC (AIM ]E) a wrong
 *     check digit is refused (BAD_CHECK_DIGIT); without that, such digits are
 *     taken as a voucher code, since scanners verify EAN check digits themselves;
 *  3. "TPM-" and 8 digits → a member card (before vouchers: the prefix is Tillpoint's own);
 *  4. "TP1-…" → a Tillpoint-signed voucher, verified with the chain's public
 *     key: a code that fails is refused as MALFORMED or FORGED, never returned
 *     as a voucher, and with no usable key configured it is refused (NO_PUBLIC_KEY);
 *  5. upper-case letters, digits and dashes, 4–160 long → a voucher code.
 *     Letters are upper-cased first: a keyboard-wedge scanner with Caps Lock
 *     on inverts case, and voucher codes are upper-case by definition;
 *  6. anything else → unknown (EMPTY / UNRECOGNISED), with a message.
 */
export function classifyScan(raw: string, config: ScanConfig = {}): ScanResult {
  const { text, aim } = strip(raw, config);
  const refuse = (reason: ScanRefusal): ScanResult => ({
    kind: 'unknown',
    reason,
    message: scanRefusalMessage(reason, config.locale ?? 'zh-CN'),
    text,
    aim,
  });
  if (text === '') return refuse('EMPTY');
  const eanScanner = aim?.family === 'ean_upc';

  if (/^\d+$/.test(text)) {
    if (!eanScanner && PAYMENT_CODE.test(text)) return { kind: 'payment_code', code: text, aim };
    const symbology = PRODUCT_LENGTHS[text.length];
    if (symbology !== undefined && (eanScanner || aim === null)) {
      if (hasValidCheckDigit(text)) return { kind: 'product', barcode: text, symbology, aim };
      if (eanScanner) return refuse('BAD_CHECK_DIGIT');
    }
    if (eanScanner) return refuse('UNRECOGNISED');
  }

  const upper = text.toUpperCase();
  if (!eanScanner && MEMBER_CARD_PATTERN.test(upper))
    return { kind: 'member_card', card: upper, aim };
  if (upper.startsWith(SIGNED_CODE_PREFIX)) {
    // A missing or unusable key is the terminal's set-up problem: say so rather than throw mid-scan.
    if (config.codePublicKeyHex === undefined || !isValidPublicKeyHex(config.codePublicKeyHex))
      return refuse('NO_PUBLIC_KEY');
    const verified = verifySignedCode(config.codePublicKeyHex, upper);
    if (verified.ok)
      return { kind: 'voucher', code: VoucherCode.parse(upper), signed: verified.value, aim };
    return refuse(verified.code === 'FORGED' ? 'FORGED' : 'MALFORMED');
  }
  const code = VoucherCode.safeParse(upper);
  if (code.success && !eanScanner) return { kind: 'voucher', code: code.data, signed: null, aim };
  return refuse('UNRECOGNISED');
}
