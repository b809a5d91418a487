import { type AggregateRow, mergeAggregates } from '../../core/reports/aggregates';
import { valuesByTable } from '../reports/aggregate-tables';

/**
 * The report aggregate increments of one commit group (DESIGN.md "Manager console and
 * reports"), kept like its feed and audit rows: buffered while its jobs run, cut back with a
 * job that rolled back (AppendMark), merged per key and written as one upsert per table just
 * before COMMIT. A redemption thus costs no statement of its own for its aggregates, and a
 * group that fails leaves none behind, as its rows never reached the database.
 */
export class AggregateBuffer {
  private readonly rows: AggregateRow[] = [];

  add(rows: readonly AggregateRow[]): void {
    for (const r of rows) this.rows.push(r);
  }

  get length(): number {
    return this.rows.length;
  }

  /** Drops what was added after position `length`. */
  truncate(length: number): void {
    this.rows.length = length;
  }

  /** The group's increments, one per key (an upsert must not touch a row twice), as values. */
  merged(): ReturnType<typeof valuesByTable> {
    return valuesByTable(mergeAggregates(new Map(), this.rows).values());
  }
}
