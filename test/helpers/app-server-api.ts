import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DemoData } from './app-server-process';
import type { Product, ShiftReport } from '../../core/protocol';

/** Direct calls to a running sync server, for test set-up and for checking what it holds. */
async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`POST ${url} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export interface PairedStore {
  readonly token: string;
  readonly store: { id: string; name: string; timeZone: string; groupIds: string[] };
}

/** Pairs a terminal from the test itself (one of the store's one-time codes). */
export async function pairDirectly(serverUrl: string, pairingCode: string): Promise<PairedStore> {
  return post<PairedStore>(`${serverUrl}/v1/terminals/pair`, {
    pairingCode,
    name: 'test observer',
  });
}

/** A session token of the demo chain manager (demo.json's first manager). */
export async function chainManagerToken(serverUrl: string, demo: DemoData): Promise<string> {
  const manager = demo.managers[0];
  if (!manager) throw new Error('demo.json has no manager');
  const session = await post<{ token: string }>(`${serverUrl}/v1/sessions`, {
    kind: 'password',
    username: manager.username,
    password: manager.password,
  });
  return session.token;
}

/** Sets a store's offline allowance through the manager API (as the demo chain manager). */
export async function setOfflineAllowance(
  serverUrl: string,
  demo: DemoData,
  store: PairedStore['store'],
  offline: { maxCount: number; maxValueFen: number; hours: number },
): Promise<void> {
  const token = await chainManagerToken(serverUrl, demo);
  await post(`${serverUrl}/v1/manager/stores`, { ...store, offline }, token);
}

/** Adds (or replaces) products in the chain's catalog; tills hear of them on the change feed. */
export async function upsertProducts(
  serverUrl: string,
  demo: DemoData,
  products: readonly Product[],
): Promise<void> {
  const token = await chainManagerToken(serverUrl, demo);
  for (const product of products) await post(`${serverUrl}/v1/manager/products`, product, token);
}

/** Makes a batch give its codes back when their sale is refunded in full (Batch.returnOnRefund). */
export async function setReturnOnRefund(
  serverUrl: string,
  demo: DemoData,
  batchId: string,
): Promise<void> {
  const token = await chainManagerToken(serverUrl, demo);
  const url = `${serverUrl}/v1/manager/batches/${batchId}`;
  const read = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!read.ok) throw new Error(`GET ${url} → ${read.status}`);
  const row = (await read.json()) as { batch: Record<string, unknown>; version: number };
  await post(
    url,
    {
      batch: { ...row.batch, returnOnRefund: true },
      version: row.version,
      requestId: randomUUID(),
    },
    token,
  );
}

/** Issues `count` fresh signed codes of a batch (unclaimed) and returns them. */
export async function issueCodes(
  serverUrl: string,
  demo: DemoData,
  batchId: string,
  count: number,
): Promise<string[]> {
  const token = await chainManagerToken(serverUrl, demo);
  const issued = await fetch(`${serverUrl}/v1/manager/batches/${batchId}/codes`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ count, claimedAt: null }),
  });
  const text = await issued.text();
  if (!issued.ok) throw new Error(`issuing ${batchId} codes → ${issued.status} ${text}`);
  // The answer is the console's CSV: a header row, then the code in the first column.
  return text
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',')[0] ?? '')
    .filter((code) => code.length > 0);
}

/** Accepted redemptions per code, read from the server's SQLite file (server stopped or running). */
export function acceptedOnServer(dataDir: string): Map<string, { count: number; storeId: string }> {
  const db = new Database(join(dataDir, 'tillpoint.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT code, store_id AS storeId, count(*) AS count FROM redemptions WHERE status = 'accepted' GROUP BY code, store_id`,
      )
      .all() as { code: string; storeId: string; count: number }[];
    const map = new Map<string, { count: number; storeId: string }>();
    for (const r of rows)
      map.set(r.code, { count: (map.get(r.code)?.count ?? 0) + r.count, storeId: r.storeId });
    return map;
  } finally {
    db.close();
  }
}

/** The sales the server recorded, read from its SQLite file: id, state, what was due and paid. */
export function salesOnServer(dataDir: string): {
  id: string;
  state: string;
  dueFen: number;
  paidFen: number;
  changeFen: number;
  offline: number;
}[] {
  const db = new Database(join(dataDir, 'tillpoint.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT id, state, due_fen AS dueFen, paid_fen AS paidFen, change_fen AS changeFen, offline FROM sales ORDER BY recorded_at`,
      )
      .all() as {
      id: string;
      state: string;
      dueFen: number;
      paidFen: number;
      changeFen: number;
      offline: number;
    }[];
  } finally {
    db.close();
  }
}

/** A recorded sale's tenders (in order) and the redemptions it carries, as the server holds them. */
export function saleTendersOnServer(
  dataDir: string,
  id: string,
): {
  tenders: { kind: string; amountFen: number; changeFen: number; state: string }[];
  redemptions: { code: string; discountFen: number; status: string }[];
} {
  const db = new Database(join(dataDir, 'tillpoint.db'), { readonly: true, fileMustExist: true });
  try {
    const tenders = db
      .prepare(
        `SELECT kind, amount_fen AS amountFen, change_fen AS changeFen, state FROM sale_tenders WHERE sale_id = ? ORDER BY seq`,
      )
      .all(id) as { kind: string; amountFen: number; changeFen: number; state: string }[];
    const redemptions = db
      .prepare(
        `SELECT code, discount_fen AS discountFen, status FROM redemptions WHERE sale_id = ? ORDER BY code`,
      )
      .all(id) as { code: string; discountFen: number; status: string }[];
    return { tenders, redemptions };
  } finally {
    db.close();
  }
}

/** The member a recorded sale names (its stored document) and the flags the server raised. */
export function saleMemberOnServer(
  dataDir: string,
  id: string,
): { member: { customerId: string | null; tier: string | null }; flags: { code: string }[] } {
  const db = new Database(join(dataDir, 'tillpoint.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT doc, flags FROM sales WHERE id = ?').get(id) as
      { doc: string; flags: string } | undefined;
    if (!row) throw new Error(`the server has no sale ${id}`);
    const doc = JSON.parse(row.doc) as {
      member: { customerId: string | null; tier: string | null };
    };
    return { member: doc.member, flags: JSON.parse(row.flags) as { code: string }[] };
  } finally {
    db.close();
  }
}

/**
 * A shift as the server stored it (its report, parsed) and the sales ledger's own sums for the
 * sales that name it, read from the server's SQLite file.
 */
export function shiftOnServer(
  dataDir: string,
  shiftId: string,
): {
  report: ShiftReport | null;
  countedFen: number | null;
  ledger: { sales: number; dueFen: number; cashFen: number; changeFen: number };
} {
  const db = new Database(join(dataDir, 'tillpoint.db'), { readonly: true, fileMustExist: true });
  try {
    const shift = db
      .prepare('SELECT report, counted_fen AS countedFen FROM shifts WHERE id = ?')
      .get(shiftId) as { report: string | null; countedFen: number | null } | undefined;
    const sales = db
      .prepare(
        `SELECT count(*) AS sales, coalesce(sum(due_fen), 0) AS dueFen FROM sales
         WHERE shift_id = ? AND state IN ('paid', 'partly_refunded', 'refunded')`,
      )
      .get(shiftId) as { sales: number; dueFen: number };
    const cash = db
      .prepare(
        `SELECT coalesce(sum(t.amount_fen), 0) AS cashFen, coalesce(sum(t.change_fen), 0) AS changeFen
         FROM sale_tenders t JOIN sales s ON s.terminal_id = t.terminal_id AND s.id = t.sale_id
         WHERE s.shift_id = ? AND t.kind = 'cash'`,
      )
      .get(shiftId) as { cashFen: number; changeFen: number };
    return {
      report: shift?.report ? (JSON.parse(shift.report) as ShiftReport) : null,
      countedFen: shift?.countedFen ?? null,
      ledger: { ...sales, ...cash },
    };
  } finally {
    db.close();
  }
}

/** The WeChat order numbers (out_trade_no) of a sale's payments, read from the server's SQLite file. */
export function outTradeNosOnServer(dataDir: string, saleId: string): string[] {
  const db = new Database(join(dataDir, 'tillpoint.db'), { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare(`SELECT out_trade_no AS no FROM payments WHERE sale_id = ?`).all(saleId) as {
        no: string;
      }[]
    ).map((r) => r.no);
  } finally {
    db.close();
  }
}

/** The redemptions of a code, oldest first, as the server holds them: status and sale. */
export function redemptionsOfCode(
  dataDir: string,
  code: string,
): { id: string; status: string; saleId: string | null }[] {
  const db = new Database(join(dataDir, 'tillpoint.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        'SELECT id, status, sale_id AS saleId FROM redemptions WHERE code = ? ORDER BY at, id',
      )
      .all(code) as { id: string; status: string; saleId: string | null }[];
  } finally {
    db.close();
  }
}
