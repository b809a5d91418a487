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

describe('feed cursors across a restore', () => {
  it('round-trip within one epoch', () => {
    expect(decodeCursor(encodeCursor(42, 'k3x9'), 'k3x9')).toEqual({ ok: true, value: 42 });
  });

  it('refuse a cursor given out before the restore, telling the till to push again', () => {
    const before = decodeCursor(encodeCursor(42), 'k3x9');
    expect(before.ok).toBe(false);
    if (!before.ok) expect(before.code).toBe('FEED_RESET');
    const otherRestore = decodeCursor(encodeCursor(42, 'aaaa'), 'k3x9');
    expect(otherRestore.ok ? null : otherRestore.code).toBe('FEED_RESET');
  });

  it('start any till from an empty cursor after a restore', () => {
    expect(decodeCursor('', 'k3x9')).toEqual({ ok: true, value: 0 });
  });
});
