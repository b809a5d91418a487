import { createHash } from 'node:crypto';
import { toSVG } from 'bwip-js/node';
import QRCode from 'qrcode';

/**
 * The QR code and Code 128 of a claimed code, as SVG images the claim page loads from
 * /claim/:id/qr/:ref and /claim/:id/barcode/:ref (routes/claims.ts). Rendered there rather than
 * inline in the claim's answer: the two symbols cost more CPU than the claim's whole write
 * (bench/reports.bench.ts), and an image of a code never changes, so the phone keeps it and
 * every later showing of the page costs none.
 */

/** What QR's alphanumeric mode holds: every voucher code (upper-case letters, digits, dashes). */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

/**
 * A code is given as one alphanumeric segment: left to itself the library searches the
 * cheapest mix of modes (a shortest-path search over the text), a third of the time a claim's
 * answer took for the same symbol (bench/reports.bench.ts). The poster's URL is left to it.
 */
export const qrSvg = (text: string): Promise<string> =>
  QRCode.toString(ALPHANUMERIC.test(text) ? [{ data: text, mode: 'alphanumeric' }] : text, {
    type: 'svg',
    margin: 1,
    errorCorrectionLevel: 'M',
  });

/**
 * Codes up to this long also get a Code 128 barcode. A signed code (about 130 characters)
 * would need some 1,500 bars, too fine for a phone screen to show or a scanner to read: its QR
 * is what the till scans.
 */
export const BARCODE_MAX = 24;

/** Code 128, what the tills' scanners read besides QR. */
export const barcodeSvg = (text: string): string =>
  toSVG({ bcid: 'code128', text, height: 14, includetext: false, paddingwidth: 4 });

/**
 * How an image's address names a code without holding it: addresses end up in logs and
 * histories, a code is worth money. 96 bits of its SHA-256; the route serves only the codes of
 * the customer whose cookie comes with the request.
 */
export const codeRef = (code: string): string =>
  createHash('sha256').update(code).digest('base64url').slice(0, 16);
