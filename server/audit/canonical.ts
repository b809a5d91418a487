/**
 * JSON with object keys sorted at every depth: the same value always gives the
 * same text, which is what a hash chain needs. Written as plain loops: it runs
 * for the before and after of every audit entry, on the redemption path.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (isFlatAndSorted(record, keys)) return JSON.stringify(record);
  // Default sort order is by UTF-16 code units, the same as comparing with < and >.
  keys.sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out === '{' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/**
 * True when JSON.stringify gives exactly the canonical text of `record`: a
 * plain object (no toJSON of a class such as Date) whose keys are already in
 * sorted order and whose members are all strings, numbers, booleans, null or
 * undefined (JSON.stringify leaves undefined members out, as canonicalJson
 * does). JSON.stringify writes members in Object.keys order, so sorted keys
 * stay sorted. Objects written with their keys in order, like most audit
 * before/after values, skip the sort and the per-member loop.
 */
function isFlatAndSorted(record: Record<string, unknown>, keys: readonly string[]): boolean {
  const proto: unknown = Object.getPrototypeOf(record);
  if (proto !== Object.prototype && proto !== null) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0 && !((keys[i - 1] as string) < key)) return false;
    const member = record[key];
    const type = typeof member;
    if (
      member !== null &&
      type !== 'string' &&
      type !== 'number' &&
      type !== 'boolean' &&
      type !== 'undefined'
    )
      return false;
  }
  return true;
}
