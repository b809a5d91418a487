import { err, ok, type Result } from '../../core/result';

/**
 * Cursors are opaque to terminals. Today one is "c" and the last feed
 * sequence number in base 36; the prefix leaves room to change the format.
 */
export function encodeCursor(seq: number): string {
  return `c${seq.toString(36)}`;
}

export function decodeCursor(cursor: string): Result<number, 'BAD_CURSOR'> {
  if (cursor === '') return ok(0);
  const m = /^c([0-9a-z]{1,12})$/.exec(cursor);
  const seq = m?.[1] === undefined ? Number.NaN : parseInt(m[1], 36);
  if (!Number.isSafeInteger(seq))
    return err(
      'BAD_CURSOR',
      `"${cursor}" is not a cursor this server gave out; send the cursor of the last page you applied, or an empty one to start over`,
    );
  return ok(seq);
}
