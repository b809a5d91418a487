import { z } from 'zod';

/**
 * Text that crosses a process boundary must be something every store can keep
 * and every printer can print: PostgreSQL refuses U+0000 in text (a 500 deep in
 * a query), SQLite stores a lone UTF-16 surrogate as invalid UTF-8, and a control
 * character in a receipt line reaches an ESC/POS printer as a command. So every
 * text field of the protocol refuses them here, with the field named, before any
 * of it is stored.
 */
export interface UnsafeCharacter {
  /** Position in UTF-16 code units, as JavaScript counts. */
  readonly index: number;
  readonly codePoint: number;
  readonly kind: 'control' | 'lone_surrogate';
}

/** C0 controls, DEL and C1 controls: none belongs in a name, an id or a line of a receipt. */
const isControl = (cp: number): boolean => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);

/** The first character of `text` that no text field accepts, or null when there is none. */
export function findUnsafeCharacter(text: string): UnsafeCharacter | null {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { index: i, codePoint: unit, kind: 'lone_surrogate' };
    }
    if (unit >= 0xdc00 && unit <= 0xdfff)
      return { index: i, codePoint: unit, kind: 'lone_surrogate' };
    if (isControl(unit)) return { index: i, codePoint: unit, kind: 'control' };
  }
  return null;
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** What to tell whoever sent it: which character, where, and what to do. */
function describeUnsafeCharacter(found: UnsafeCharacter): string {
  return found.kind === 'control'
    ? `contains the control character ${hex(found.codePoint)} at position ${found.index}; remove it (text fields take no control characters, line breaks and tabs included)`
    : `contains a broken character (the unpaired UTF-16 surrogate ${hex(found.codePoint)}) at position ${found.index}; send the text as valid Unicode`;
}

/**
 * The check every text field carries. Use it after `.trim()` where a field is
 * trimmed, so surrounding whitespace is dropped rather than refused.
 */
export const safeText = z.superRefine<string>((value, ctx) => {
  const found = findUnsafeCharacter(value);
  if (found) ctx.addIssue({ code: 'custom', message: describeUnsafeCharacter(found) });
});

/** A string with no control characters and no lone surrogates; add min/max/regex as the field needs. */
export const SafeText = z.string().check(safeText);
