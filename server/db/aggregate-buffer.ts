import { type AggregateRow, mergeAggregates } from '../../core/reports/aggregates';
import { AGGREGATE_TABLES, STORE_DAY, valuesByTable } from '../reports/aggregate-tables';

type TableValues = ReturnType<typeof valuesByTable>;

/**
 * The report aggregate increments of one commit group (DESIGN.md "Manager console and
 * reports"), kept like its feed and audit rows: buffered while its jobs run, cut back with a
 * job that rolled back (AppendMark), merged per key and written as one upsert per table just
 * before COMMIT. A redemption thus costs no statement of its own for its aggregates, and a
 * group that fails leaves none behind, as its rows never reached the database.
 *
 * Rows taken back (a redemption given back by a refund, reports/returns.ts) are kept apart:
 * core rows hold money as Fen, never negative, so each side is merged on its own and only the
 * net counters handed to the upsert may be negative (`c = c + excluded.c` subtracts them).
 */
export class AggregateBuffer {
  private readonly entries: { readonly row: AggregateRow; readonly taken: boolean }[] = [];

  add(rows: readonly AggregateRow[]): void {
    for (const row of rows) this.entries.push({ row, taken: false });
  }

  /** Rows to subtract: each holds what it takes back from the row of its key. */
  takeBack(rows: readonly AggregateRow[]): void {
    for (const row of rows) this.entries.push({ row, taken: true });
  }

  get length(): number {
    return this.entries.length;
  }

  /** Drops what was added after position `length`. */
  truncate(length: number): void {
    this.entries.length = length;
  }

  /** The group's net increments, one per key (an upsert must not touch a row twice), as values. */
  merged(): TableValues {
    const side = (taken: boolean) =>
      valuesByTable(
        mergeAggregates(
          new Map(),
          this.entries.filter((e) => e.taken === taken).map((e) => e.row),
        ).values(),
      );
    const added = side(false);
    if (!this.entries.some((e) => e.taken)) return added;
    const taken = side(true);
    const [batchDay, tenderDay, batchHour] = AGGREGATE_TABLES;
    return {
      batchDay: net(added.batchDay, taken.batchDay, batchDay.keys.length),
      tenderDay: net(added.tenderDay, taken.tenderDay, tenderDay.keys.length),
      batchHour: net(added.batchHour, taken.batchHour, batchHour.keys.length),
      storeDay: net(added.storeDay, taken.storeDay, STORE_DAY.keys.length),
    };
  }
}

/** Rows of values (keys then counters): `added` less `taken`, key by key. */
function net(added: unknown[][], taken: unknown[][], keys: number): unknown[][] {
  const keyOf = (values: unknown[]) => JSON.stringify(values.slice(0, keys));
  const out = new Map(added.map((v) => [keyOf(v), [...v]]));
  for (const t of taken) {
    const k = keyOf(t);
    const row = out.get(k) ?? [...t.slice(0, keys), ...t.slice(keys).map(() => 0)];
    for (let i = keys; i < t.length; i++) row[i] = Number(row[i]) - Number(t[i]);
    out.set(k, row);
  }
  return [...out.values()];
}
