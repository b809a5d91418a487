import iconv from 'iconv-lite';

/**
 * Decodes an ESC/POS byte stream back into commands, so tests can read what
 * Tillpoint sent a printer: text decoded from GB18030, QR payloads, cuts,
 * drawer pulses, status requests. Unknown commands throw: a test should
 * never pass over bytes it does not understand.
 */
export type EscPosToken =
  | { type: 'initialize' }
  | { type: 'chinese_on' }
  | { type: 'chinese_off' }
  | { type: 'align'; value: 'left' | 'center' | 'right' }
  | { type: 'bold'; on: boolean }
  | { type: 'size'; value: number }
  | { type: 'kanji_size'; value: number }
  | { type: 'text'; text: string }
  | { type: 'newline' }
  | { type: 'feed'; lines: number }
  | { type: 'qr_setting'; fn: 'model' | 'size' | 'level'; value: number }
  | { type: 'qr_store'; data: string }
  | { type: 'qr_print' }
  | { type: 'barcode_setting'; command: 'height' | 'width' | 'hri'; value: number }
  | { type: 'barcode'; system: number; data: string }
  | { type: 'cut'; mode: number }
  | { type: 'drawer'; pin: number; onMs: number; offMs: number }
  | { type: 'status_request'; n: number }
  | { type: 'asb'; mask: number };

export interface TokenizeOptions {
  /** Called with the raw bytes of every run of printed text, before they are decoded. */
  readonly onTextBytes?: (raw: Uint8Array) => void;
}

export function tokenize(bytes: Uint8Array, options: TokenizeOptions = {}): EscPosToken[] {
  const out: EscPosToken[] = [];
  let i = 0;
  const take = (token: EscPosToken, length: number): void => {
    out.push(token);
    i += length;
  };
  const at = (k: number): number => {
    const v = bytes[i + k];
    if (v === undefined) throw new Error(`ESC/POS stream ends inside a command at byte ${i}`);
    return v;
  };
  while (i < bytes.length) {
    const b = at(0);
    if (b >= 0x20 && b !== 0x7f) {
      let j = i;
      while (j < bytes.length && (bytes[j] ?? 0) >= 0x20 && bytes[j] !== 0x7f) j++;
      options.onTextBytes?.(bytes.subarray(i, j));
      out.push({ type: 'text', text: iconv.decode(Buffer.from(bytes.subarray(i, j)), 'gb18030') });
      i = j;
      continue;
    }
    if (b === 0x0a) {
      out.push({ type: 'newline' });
      i += 1;
    } else if (b === 0x10 && at(1) === 0x04) {
      out.push({ type: 'status_request', n: at(2) });
      i += 3;
    } else if (b === 0x1b) {
      const c = at(1);
      if (c === 0x40) take({ type: 'initialize' }, 2);
      else if (c === 0x61) {
        const v = at(2);
        out.push({ type: 'align', value: v === 1 ? 'center' : v === 2 ? 'right' : 'left' });
        i += 3;
      } else if (c === 0x45) take({ type: 'bold', on: at(2) === 1 }, 3);
      else if (c === 0x64) take({ type: 'feed', lines: at(2) }, 3);
      else if (c === 0x70) {
        out.push({ type: 'drawer', pin: at(2) === 0 ? 2 : 5, onMs: at(3) * 2, offMs: at(4) * 2 });
        i += 5;
      } else throw new Error(`unknown ESC command 0x${c.toString(16)} at byte ${i}`);
    } else if (b === 0x1c) {
      const c = at(1);
      if (c === 0x26) take({ type: 'chinese_on' }, 2);
      else if (c === 0x2e) take({ type: 'chinese_off' }, 2);
      else if (c === 0x21) take({ type: 'kanji_size', value: at(2) }, 3);
      else throw new Error(`unknown FS command 0x${c.toString(16)} at byte ${i}`);
    } else if (b === 0x1d) {
      const c = at(1);
      if (c === 0x21) take({ type: 'size', value: at(2) }, 3);
      else if (c === 0x56) {
        const m = at(2);
        out.push({ type: 'cut', mode: m });
        i += m >= 65 ? 4 : 3;
      } else if (c === 0x61) take({ type: 'asb', mask: at(2) }, 3);
      else if (c === 0x68) take({ type: 'barcode_setting', command: 'height', value: at(2) }, 3);
      else if (c === 0x77) take({ type: 'barcode_setting', command: 'width', value: at(2) }, 3);
      else if (c === 0x48) take({ type: 'barcode_setting', command: 'hri', value: at(2) }, 3);
      else if (c === 0x6b) {
        const system = at(2);
        if (system < 65) throw new Error('only GS k function B barcodes are understood');
        const n = at(3);
        const data = Buffer.from(bytes.subarray(i + 4, i + 4 + n)).toString('latin1');
        out.push({ type: 'barcode', system, data });
        i += 4 + n;
      } else if (c === 0x28 && at(2) === 0x6b) {
        const len = at(3) + at(4) * 256;
        const cn = at(5);
        const fn = at(6);
        if (cn !== 0x31) throw new Error(`GS ( k for symbol ${cn} is not QR`);
        const params = bytes.subarray(i + 7, i + 5 + len);
        if (fn === 0x41) out.push({ type: 'qr_setting', fn: 'model', value: params[0] ?? 0 });
        else if (fn === 0x43) out.push({ type: 'qr_setting', fn: 'size', value: params[0] ?? 0 });
        else if (fn === 0x45) out.push({ type: 'qr_setting', fn: 'level', value: params[0] ?? 0 });
        else if (fn === 0x50)
          out.push({
            type: 'qr_store',
            data: iconv.decode(Buffer.from(params.subarray(1)), 'gb18030'),
          });
        else if (fn === 0x51) out.push({ type: 'qr_print' });
        else throw new Error(`unknown QR function 0x${fn.toString(16)}`);
        i += 5 + len;
      } else throw new Error(`unknown GS command 0x${c.toString(16)} at byte ${i}`);
    } else {
      throw new Error(`unexpected control byte 0x${b.toString(16)} at byte ${i}`);
    }
  }
  return out;
}

/** The printed text lines, in order (text between newlines). */
export function printedLines(tokens: readonly EscPosToken[]): string[] {
  const lines: string[] = [];
  let current = '';
  for (const t of tokens) {
    if (t.type === 'text') current += t.text;
    else if (t.type === 'newline') {
      lines.push(current);
      current = '';
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

/**
 * The four-byte GB18030 sequences in a run of text bytes: a lead byte
 * 0x81–0xFE followed by a digit 0x30–0x39. A GBK printer prints each as two
 * garbage characters, so Tillpoint must never send one.
 */
export function fourByteSequences(raw: Uint8Array): number {
  let count = 0;
  let i = 0;
  while (i < raw.length) {
    const b = raw[i] ?? 0;
    if (b < 0x80) i += 1;
    else if ((raw[i + 1] ?? 0) >= 0x30 && (raw[i + 1] ?? 0) <= 0x39) {
      count += 1;
      i += 4;
    } else i += 2;
  }
  return count;
}

/** The text a GS k 73 (Code 128) barcode holds: its "{B" / "{C" code-set runs decoded. */
export function code128Text(data: string): string {
  let out = '';
  let set = '';
  for (let i = 0; i < data.length; i++) {
    const c = data[i] ?? '';
    if (c === '{') {
      const next = data[++i] ?? '';
      if (next === '{') out += '{';
      else if ('ABC'.includes(next)) set = next;
      else throw new Error(`unknown Code 128 command {${next}`);
    } else if (set === 'C') {
      out += String(c.charCodeAt(0)).padStart(2, '0');
    } else if (set === 'B' || set === 'A') {
      out += c;
    } else {
      throw new Error('Code 128 data must start with a code set ({A, {B or {C)');
    }
  }
  return out;
}
