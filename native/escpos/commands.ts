import iconv from 'iconv-lite';
import { code128Segments, type Code128Segment } from '../../core/receipt/code128';
import { printableText } from '../../core/receipt/printable-text';
import { CODE128_HEIGHT_DOTS, CODE128_MODULE_DOTS } from '../../core/receipt/scan-code';

/**
 * ESC/POS command bytes, written for this job: npm encoders use single-byte
 * code pages and their initialise leaves Chinese mode off. Text goes out as
 * GB18030 in Chinese (Kanji) mode, which every printer sold in China speaks.
 */
export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';
export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';

const ALIGN: Record<Align, number> = { left: 0, center: 1, right: 2 };
const QR_LEVEL: Record<QrErrorLevel, number> = { L: 48, M: 49, Q: 50, H: 51 };

/** Appends commands into one growing buffer; `bytes()` returns what to send. */
export class EscPosWriter {
  private buffer = new Uint8Array(4096);
  private length = 0;

  private push(...values: number[]): this {
    this.ensure(values.length);
    for (const v of values) this.buffer[this.length++] = v;
    return this;
  }

  private pushBytes(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  /** ESC @ then FS &: the initialise turns Chinese mode off, so it is switched back on at once. */
  initialize(): this {
    return this.push(ESC, 0x40, FS, 0x26);
  }

  align(align: Align): this {
    return this.push(ESC, 0x61, ALIGN[align]);
  }

  bold(on: boolean): this {
    return this.push(ESC, 0x45, on ? 1 : 0);
  }

  /** GS ! for single-byte text and FS ! for Chinese characters: both double, or both normal. */
  large(on: boolean): this {
    return this.push(GS, 0x21, on ? 0x11 : 0x00, FS, 0x21, on ? 0x0c : 0x00);
  }

  /**
   * Text in GB18030, first fitted to the printer's GBK font by the same
   * function the layout and the preview use: characters outside GBK would go
   * out as four-byte sequences the printer prints as garbage. Fitting also
   * drops control characters, so data can never become a command.
   */
  text(value: string): this {
    return this.pushBytes(iconv.encode(printableText(value), 'gb18030'));
  }

  newline(): this {
    return this.push(LF);
  }

  /** ESC d n: feeds n blank lines. */
  feed(lines: number): this {
    return this.push(ESC, 0x64, clampByte(lines));
  }

  /** QR code by the printer's own GS ( k: model 2, module size, error level, store, print. */
  qr(data: string, options: { size?: number; level?: QrErrorLevel } = {}): this {
    const payload = iconv.encode(data, 'gb18030');
    const stored = payload.length + 3;
    if (stored > 0xffff) throw new RangeError(`QR data of ${payload.length} bytes is too long`);
    const size = Math.min(Math.max(options.size ?? 6, 1), 16);
    return this.push(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00)
      .push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, size)
      .push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, QR_LEVEL[options.level ?? 'M'])
      .push(GS, 0x28, 0x6b, stored & 0xff, stored >> 8, 0x31, 0x50, 0x30)
      .pushBytes(payload)
      .push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30);
  }

  /**
   * Code 128 by GS k 73, in the code sets given (core/receipt/code128: set B
   * for ASCII, set C for digit pairs) or chosen for `data`. No human-readable
   * line: the layout prints the data as a text row, the same on paper and in
   * the preview. The printer adds the check symbol and the stop.
   */
  code128(data: string | readonly Code128Segment[]): this {
    const segments = typeof data === 'string' ? code128Segments(data) : data;
    if (segments === null || segments.length === 0)
      throw new RangeError('Code 128 takes 1 to 60 printable ASCII characters');
    const body: number[] = [];
    for (const segment of segments) {
      body.push(0x7b, segment.set.charCodeAt(0));
      if (segment.set === 'C') {
        for (let i = 0; i < segment.text.length; i += 2)
          body.push(Number(segment.text.slice(i, i + 2)));
      } else {
        // In GS k 73 data "{" starts a code-set command; a literal "{" is sent as "{{".
        for (const c of segment.text) body.push(...(c === '{' ? [0x7b, 0x7b] : [c.charCodeAt(0)]));
      }
    }
    if (body.length > 255) throw new RangeError('Code 128 data is too long for one GS k command');
    return this.barcodeSetup(false).push(GS, 0x6b, 73, body.length, ...body);
  }

  /** EAN-13 from 12 digits (the printer adds the check digit) or 13 digits. */
  ean13(digits: string): this {
    if (!/^\d{12,13}$/.test(digits)) throw new RangeError('EAN-13 takes 12 or 13 digits');
    return this.barcodeSetup(true).push(
      GS,
      0x6b,
      67,
      digits.length,
      ...Array.from(digits, (c) => c.charCodeAt(0)),
    );
  }

  /** GS h height, GS w the module width the layout measured with, GS H text below or none. */
  private barcodeSetup(hri: boolean): this {
    return this.push(GS, 0x68, CODE128_HEIGHT_DOTS)
      .push(GS, 0x77, CODE128_MODULE_DOTS)
      .push(GS, 0x48, hri ? 2 : 0);
  }

  /** GS V 66 n: feed to the cutter and partial-cut. */
  cut(): this {
    return this.push(GS, 0x56, 66, 0);
  }

  /** ESC p: pulse drawer pin 2 (the usual RJ-11 wiring), 50 ms on, 500 ms off. */
  drawerPulse(): this {
    return this.push(ESC, 0x70, 0, 25, 250);
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

const clampByte = (n: number): number => Math.min(Math.max(Math.trunc(n), 0), 255);

/** DLE EOT n: ask for real-time status n (1 printer, 2 offline cause, 3 error, 4 paper sensor). */
export const statusRequest = (n: 1 | 2 | 3 | 4): Uint8Array => Uint8Array.of(DLE, EOT, n);
