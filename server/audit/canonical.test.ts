import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';
import { entryHash, entryJson, GENESIS_HASH } from './chain';

/**
 * canonicalJson and entryHash as they were before the fast paths, kept
 * verbatim: stored audit text and hashes must never change, or every chain
 * written before would stop verifying.
 */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += (i === 0 ? '' : ',') + referenceCanonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out === '{' ? '' : ','}${JSON.stringify(key)}:${referenceCanonicalJson(member)}`;
  }
  return `${out}}`;
}

type Entry = Parameters<typeof entryHash>[1];

function referenceEntryHash(prevHash: string, entry: Entry): string {
  const body = referenceCanonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    terminalId: entry.terminal_id,
    storeId: entry.store_id,
    action: entry.action,
    subject: entry.subject,
    before: entry.before,
    after: entry.after,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** Characters JSON escapes or that trip up UTF-8: quotes, controls, U+2028, lone surrogates. */
const arbChar = fc.oneof(
  fc.constantFrom('"', '\\', '/', '\n', '\u0000', '\u001f', '\u007f', '\u2028', 'é', '店', '😀'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);
const arbText = fc.string({ unit: arbChar, maxLength: 12 });
const arbKey = fc.oneof(
  arbText,
  fc.constantFrom('0', '2', '10', '-1', '__proto__', 'toJSON', 'a', 'b', 'state', 'at'),
);
const arbLeaf = fc.oneof(
  arbText,
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 2 ** 53, 1e21),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
/** Objects whose keys are created in sorted order (the fast path), mixed with everything else. */
const sortedObject = (member: fc.Arbitrary<unknown>) =>
  fc.dictionary(arbKey, member, { maxKeys: 6 }).map((d) => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(d).sort()) out[key] = d[key];
    return out;
  });
const arbJsonish: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbLeaf,
    sortedObject(arbLeaf),
    sortedObject(tie('value')),
    fc.dictionary(arbKey, tie('value'), { maxKeys: 6 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.anything({
      key: arbKey,
      withNullPrototype: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withObjectString: true,
      withTypedArray: true,
      withSparseArray: true,
      withUnicodeString: true,
    }),
  ),
})).value;

describe('canonicalJson', () => {
  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });

  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { z: 1, y: undefined, x: 'é' } })).toBe(
      '{"a":{"x":"é","z":1},"b":1}',
    );
  });

  it('writes sorted flat objects exactly as the sorting path does', () => {
    expect(canonicalJson({ a: 'x', b: undefined, c: Number.NaN, d: -0, e: true, f: null })).toBe(
      '{"a":"x","c":null,"d":0,"e":true,"f":null}',
    );
    // Integer-like keys come first in Object.keys order, which is not sorted order.
    expect(canonicalJson({ '10': 1, '2': 2, a: 3 })).toBe('{"10":1,"2":2,"a":3}');
    expect(canonicalJson({ '2': 2, a: 3 })).toBe('{"2":2,"a":3}');
    // A class with toJSON is walked as an object, never asked for its JSON.
    expect(canonicalJson({ a: new Date(0) })).toBe('{"a":{}}');
    expect(canonicalJson(new Date(0))).toBe('{}');
    expect(canonicalJson({ a: new String('s') })).toBe('{"a":{"0":"s"}}');
    const bare = Object.create(null) as Record<string, unknown>;
    bare['a'] = 1;
    bare['b'] = 'é\u2028\ud800';
    expect(canonicalJson(bare)).toBe('{"a":1,"b":"é\u2028\\ud800"}');
    expect(canonicalJson({ a: 'x', toJSON: 'not a function' })).toBe(
      '{"a":"x","toJSON":"not a function"}',
    );
    expect(canonicalJson({ a: () => 1 })).toBe('{"a":null}');
  });

  it('gives byte for byte the text of the original implementation, for any value', () => {
    fc.assert(
      fc.property(arbJsonish, (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      }),
      { numRuns: 2_000 },
    );
  });
});

const arbNullableText = fc.option(arbText, { nil: null });
const arbEntry: fc.Arbitrary<Entry> = fc.record({
  seq: fc.oneof(fc.nat(), fc.constantFrom(1, 2 ** 53 - 1, 1e21, -0)),
  at: fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    arbText,
  ),
  actor: arbNullableText,
  terminal_id: arbNullableText,
  store_id: arbNullableText,
  action: arbText,
  subject: arbText,
  before: fc.option(arbJsonish.map(referenceCanonicalJson), { nil: null }),
  after: fc.option(arbJsonish.map(referenceCanonicalJson), { nil: null }),
});

describe('entryHash', () => {
  // Written by the implementation before the fast paths; the chain of a store that ran it
  // must keep verifying.
  const golden: { entry: Entry; hash: string }[] = [
    {
      entry: {
        seq: 1,
        at: '2025-03-01T08:00:00.000Z',
        actor: 'terminal:t-1',
        terminal_id: 't-1',
        store_id: 's-1',
        action: 'redemption.accepted',
        subject: 'code:ABC-0000001',
        before: canonicalJson({ state: 'issued' }),
        after: canonicalJson({
          state: 'redeemed',
          redemptionId: '0190f1a2-3b4c-7d5e-8f60-000000000001',
          discountFen: 500,
          at: '2025-03-01T08:00:00.000Z',
        }),
      },
      hash: '6a8e8ef5ddfb11f87d667a48a57563c6b390e5acc56bfd2b03e221ffb42158d6',
    },
    {
      entry: {
        seq: 2,
        at: '2025-03-01T08:00:01.000Z',
        actor: null,
        terminal_id: null,
        store_id: null,
        action: 'store.created',
        subject: 'store:s-2',
        before: null,
        after: canonicalJson({
          name: '南京路店 "一"',
          groups: ['g-1', 'g-2'],
          settings: { z: 1, a: [true, false, null], ñ: 'é\u2028\n\t\\' },
        }),
      },
      hash: 'a137f4c190c7b76a1dae06848956f1e738146427e8b5bdcf6416e12d582479cf',
    },
    {
      entry: {
        seq: 3,
        at: '2025-03-01T08:00:02.000Z',
        actor: 'u-manager',
        terminal_id: 't-2',
        store_id: 's-2',
        action: 'redemption.conflict',
        subject: 'code:XYZ',
        before: null,
        after: canonicalJson({
          redemptionId: 'r-1',
          reason: { code: 'ALREADY_REDEEMED', at: '2025', storeId: 's-1' },
          winner: null,
          discountFen: 0,
          at: '2025',
        }),
      },
      hash: '2f238a37ed0c6d9ae60e538eed317a415f1752d2fbab362ae9c4f9cafe410da4',
    },
  ];

  it('still gives the hashes of a chain written before', () => {
    expect(golden[0]?.entry.after).toBe(
      '{"at":"2025-03-01T08:00:00.000Z","discountFen":500,"redemptionId":"0190f1a2-3b4c-7d5e-8f60-000000000001","state":"redeemed"}',
    );
    let prev = GENESIS_HASH;
    for (const { entry, hash } of golden) {
      expect(entryHash(prev, entry)).toBe(hash);
      prev = hash;
    }
  });

  it('hashes byte for byte as the original implementation, for any entry', () => {
    const arbPrev = fc.oneof(
      fc.constant(GENESIS_HASH),
      fc.stringMatching(/^[0-9a-f]{64}$/),
      arbText, // a tampered hash column, even one ending in half a surrogate pair
    );
    fc.assert(
      fc.property(arbPrev, arbEntry, (prev, entry) => {
        expect(entryJson(entry)).toBe(
          referenceCanonicalJson({
            seq: entry.seq,
            at: entry.at,
            actor: entry.actor,
            terminalId: entry.terminal_id,
            storeId: entry.store_id,
            action: entry.action,
            subject: entry.subject,
            before: entry.before,
            after: entry.after,
          }),
        );
        expect(entryHash(prev, entry)).toBe(referenceEntryHash(prev, entry));
      }),
      { numRuns: 2_000 },
    );
  });
});
