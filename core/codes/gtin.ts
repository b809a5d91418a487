/** Product barcodes: EAN-13, EAN-8 and UPC-A, told apart by length and checked by their check digit. */
export type ProductSymbology = 'EAN-13' | 'EAN-8' | 'UPC-A';

export const PRODUCT_LENGTHS: Readonly<Record<number, ProductSymbology>> = {
  8: 'EAN-8',
  12: 'UPC-A',
  13: 'EAN-13',
};

/**
 * The GS1 mod-10 check: weights 3 and 1 alternate from the digit left of the
 * check digit. The same rule serves EAN-13, EAN-8 and UPC-A.
 */
export function hasValidCheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight)
    sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}
