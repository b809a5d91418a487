import { randomInt } from 'node:crypto';
import { err, ok, type Result } from '../../core/result';

/**
 * Cursors are opaque to terminals. One is "c" and the last feed sequence
 * number in base 36, followed by ".<epoch>" once the store has been restored
 * from a backup (server/ops/restore.ts gives every restore a new epoch). A
 * cursor of another epoch was given out by the ledger before the restore: the
 * feed it points into may have been lost, and so may records the terminal saw
 * accepted, so the terminal is told to push again and pull from the start.
 */
export function encodeCursor(seq: number, epoch = ''): string {
  return epoch === '' ? `c${seq.toString(36)}` : `c${seq.toString(36)}.${epoch}`;
}

export function decodeCursor(
  cursor: string,
  epoch = '',
): Result<number, 'BAD_CURSOR' | 'FEED_RESET'> {
  if (cursor === '') return ok(0);
  const m = /^c([0-9a-z]{1,12})(?:\.([0-9a-z]{1,16}))?$/.exec(cursor);
  const seq = m?.[1] === undefined ? Number.NaN : parseInt(m[1], 36);
  if (!Number.isSafeInteger(seq))
    return err(
      'BAD_CURSOR',
      `"${cursor}" is not a cursor this server gave out; send the cursor of the last page you applied, or an empty one to start over`,
    );
  if ((m?.[2] ?? '') !== epoch)
    return err(
      'FEED_RESET',
      'The server was restored from a backup after this cursor was given out: push every redemption and sale again (known ones are answered with their stored outcome), then pull from an empty cursor',
    );
  return ok(seq);
}

/** A restore's epoch: 8 base-36 characters. */
export function newEpoch(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += randomInt(36).toString(36);
  return out;
}
