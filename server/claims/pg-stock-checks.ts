import type { RunStatement } from '../db/pg-group-appends';

/** What one PostgreSQL claim took, to be checked and counted at its commit group's flush. */
export interface ClaimTaken {
  readonly pageId: string;
  readonly batchId: string;
  readonly customer: string;
  readonly perCustomer: number;
  /** Store-local date of the claim (claims.day). */
  readonly day: string;
  /** null: the page has no daily stock. */
  readonly dailyStock: number | null;
}

/**
 * The claims of one PostgreSQL commit group, checked against the page's stock, its daily stock
 * and the customer's limit at the group's flush (db/pg-group-appends.ts), under the append lock.
 *
 * Why there: a claim that locked or bumped its page row held that row until its group
 * committed, so every other group with a claim on the page waited behind the whole group
 * (issue 12: 19 claims a second). The flush of every group that writes a claim runs under the
 * append lock, which it holds through its COMMIT, so one flush after another sees every claim
 * committed before it: the check there is exact without a lock of its own, and the page's
 * counter is bumped there, where no other group can be holding its row. A claim decides on what
 * it read (committed rows and its own group's); when a concurrent group took the stock in
 * between, the check fails and the whole group runs again (a retryable error, storage.ts),
 * now reading that group's claims.
 */
export class StockChecks {
  private readonly taken: ClaimTaken[] = [];

  add(claim: ClaimTaken): void {
    this.taken.push(claim);
  }

  get length(): number {
    return this.taken.length;
  }

  /** Drops what was added after position `length` (its job rolled back). */
  truncate(length: number): void {
    this.taken.length = length;
  }

  /** Claims this group has taken on the page so far: not in its row's counter until the flush. */
  pending(pageId: string): number {
    let n = 0;
    for (const t of this.taken) if (t.pageId === pageId) n += 1;
    return n;
  }

  /**
   * Bumps each page's counter by the group's claims on it and checks every rule on what is
   * committed plus this group; one statement. Run under the append lock, before COMMIT.
   * Throws a retryable error (40001) when a rule no longer holds.
   */
  async flush(run: RunStatement): Promise<void> {
    if (this.taken.length === 0) return;
    const byPage = new Map<string, number>();
    for (const t of this.taken) byPage.set(t.pageId, (byPage.get(t.pageId) ?? 0) + 1);
    const days = this.taken.filter((t) => t.dailyStock !== null);
    const result = await run<{ bumped: string; over_daily: string; over_customer: string }>(
      CHECK_AND_BUMP,
      [
        [...byPage.keys()],
        [...byPage.values()],
        days.map((t) => t.pageId),
        days.map((t) => t.day),
        days.map((t) => t.dailyStock),
        this.taken.map((t) => t.batchId),
        this.taken.map((t) => t.customer),
        this.taken.map((t) => t.perCustomer),
      ],
    );
    const row = result.rows[0];
    if (
      Number(row?.bumped) !== byPage.size ||
      Number(row?.over_daily) > 0 ||
      Number(row?.over_customer) > 0
    )
      throw new StockRaced();
  }
}

/** A concurrent group took what a claim of this group counted on: run the group again. */
export class StockRaced extends Error {
  /** serialization_failure: storage.ts runs the whole group again. */
  readonly code = '40001';
  constructor() {
    super('a concurrent commit group took the stock a claim counted on');
  }
}

/**
 * One snapshot, taken after the append lock was granted: every committed claim and this group's
 * own. Repeated (page, day) and (batch, customer) pairs only repeat the same check.
 */
const CHECK_AND_BUMP = `
with bumped as (
  update claim_pages p set claimed = p.claimed + w.n
  from unnest($1::text[], $2::int[]) as w(id, n)
  where p.id = w.id and p.claimed + w.n <= p.total_stock
  returning p.id
)
select
  (select count(*) from bumped) as bumped,
  (select count(*) from unnest($3::text[], $4::text[], $5::int[]) as d(page_id, day, cap)
    where (select count(*) from claims c where c.page_id = d.page_id and c.day = d.day) > d.cap
  ) as over_daily,
  (select count(*) from unnest($6::text[], $7::text[], $8::int[]) as m(batch_id, customer, cap)
    where (select count(*) from claims c
           where c.batch_id = m.batch_id and c.customer = m.customer) > m.cap
  ) as over_customer`;
