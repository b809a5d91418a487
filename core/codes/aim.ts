/**
 * AIM symbology identifiers ("]" + symbology letter + modifier), which many
 * scanners prefix to what they read. Knowing the symbology stops an EAN being
 * mistaken for a voucher code and vice versa.
 */
export type SymbologyFamily = 'ean_upc' | 'linear' | 'matrix';

export interface AimIdentifier {
  /** As read, e.g. "]C1". */
  readonly id: string;
  /** Human name, e.g. "Code 128". */
  readonly symbology: string;
  readonly family: SymbologyFamily;
}

const SYMBOLOGIES: Readonly<Record<string, { name: string; family: SymbologyFamily }>> = {
  A: { name: 'Code 39', family: 'linear' },
  C: { name: 'Code 128', family: 'linear' },
  d: { name: 'Data Matrix', family: 'matrix' },
  E: { name: 'EAN/UPC', family: 'ean_upc' },
  e: { name: 'GS1 DataBar', family: 'linear' },
  F: { name: 'Codabar', family: 'linear' },
  G: { name: 'Code 93', family: 'linear' },
  H: { name: 'Code 11', family: 'linear' },
  I: { name: 'Interleaved 2 of 5', family: 'linear' },
  L: { name: 'PDF417', family: 'matrix' },
  M: { name: 'MSI', family: 'linear' },
  Q: { name: 'QR Code', family: 'matrix' },
  z: { name: 'Aztec', family: 'matrix' },
  X: { name: 'Other', family: 'linear' },
};

const EAN_MODIFIERS: Readonly<Record<string, string>> = {
  '0': 'EAN-13/UPC-A',
  '1': 'EAN/UPC 2-digit add-on',
  '2': 'EAN/UPC 5-digit add-on',
  '3': 'EAN/UPC with add-on',
  '4': 'EAN-8',
};

/** Splits a leading AIM identifier off `text`; null when there is none. */
export function splitAim(text: string): { aim: AimIdentifier; rest: string } | null {
  const m = /^\](.)([0-9A-Za-z])/.exec(text);
  if (m === null) return null;
  const [id, letter = '', modifier = ''] = m;
  const known = SYMBOLOGIES[letter];
  if (known === undefined) return null;
  const symbology = letter === 'E' ? (EAN_MODIFIERS[modifier] ?? known.name) : known.name;
  return { aim: { id, symbology, family: known.family }, rest: text.slice(id.length) };
}
