import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

describe('feed cursors', () => {
  it('round-trip every sequence number', () => {
    for (const seq of [0, 1, 35, 36, 1_000_000, Number.MAX_SAFE_INTEGER])
      expect(decodeCursor(encodeCursor(seq))).toEqual({ ok: true, value: seq });
  });

  it('read an empty cursor as the start of the feed', () => {
    expect(decodeCursor('')).toEqual({ ok: true, value: 0 });
  });

  it('refuse text the server never gave out, saying what to send instead', () => {
    const r = decodeCursor('1; drop table changes');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('empty one to start over');
  });
});
