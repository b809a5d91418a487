import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type {
  BatchPushResponse,
  RedemptionRequest,
  SaleRequest,
  SalesPushResponse,
  ServerEvent,
  Tender,
} from '../../core/protocol';
import { encodeCursor } from '../../server/feed/cursor';
import type { DemoFile } from '../../server/seed/demo';
import { startRoundRobinProxy, type RoundRobinProxy } from '../helpers/round-robin-proxy';
import { createPgDatabase } from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  pairTerminal,
  redemption,
  saleRequest,
  type PairedTerminal,
} from '../helpers/server-client';
import { spawnServer, type ServerProcess } from '../helpers/server-process';

/**
 * docs/chain-deployment.md, tested: two server processes on one PostgreSQL behind a
 * round-robin load balancer (test/helpers/round-robin-proxy.ts, as packaging/chain/nginx.conf
 * configures nginx). One instance is killed while it answers a push; the tills push again
 * through the balancer, with the same ids, and every record is still there exactly once.
 */
const PUSH_PATH = '/v1/redemptions/batch';
const WAIT = { timeout: 10_000, interval: 20 };

describe('a chain of two instances on one PostgreSQL behind a load balancer', () => {
  const dirs: string[] = [];
  let drop: () => Promise<void>;
  let instances: ServerProcess[] = [];
  let proxy: RoundRobinProxy;
  let pool: pg.Pool;
  let demo: DemoFile;

  beforeAll(async () => {
    const database = await createPgDatabase();
    drop = database.drop;
    const env = { DATABASE_URL: database.url };
    const dir = () => {
      const d = mkdtempSync(join(tmpdir(), 'tillpoint-chain-'));
      dirs.push(d);
      return d;
    };
    // One instance migrates and seeds; the second starts on the migrated database.
    const first = await spawnServer(['--demo', '--port', '0', '--data-dir', dir()], env);
    instances = [first];
    demo = JSON.parse(readFileSync(join(dirs[0] ?? '', 'demo.json'), 'utf8')) as DemoFile;
    instances.push(await spawnServer(['--port', '0', '--data-dir', dir()], env));
    proxy = await startRoundRobinProxy(instances.map((i) => i.url));
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    // The DROP DATABASE … WITH (FORCE) at the end may cut a socket the pool is still closing.
    pool.on('error', () => undefined);
  });

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(instances.map((i) => i.stop()));
    await pool?.end();
    await drop?.();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Sends one push through the balancer until it is answered, as a till's drainer does. */
  async function pushUntilAnswered<T>(
    till: PairedTerminal,
    path: string,
    body: unknown,
    cuts: { n: number },
  ): Promise<T> {
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      try {
        const r = await call<T>(proxy.url, 'POST', path, { token: till.token, body });
        if (r.status === 200) return r.json;
        expect(r.status).toBe(502);
      } catch (e) {
        // The connection was cut with the answer on its way.
        expect(e).toBeInstanceOf(TypeError);
      }
      cuts.n += 1;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${path} was never answered`);
  }

  const rows = async <T>(text: string, params: unknown[] = []) =>
    (await pool.query(text, params)).rows as T[];
  const feedHead = async () =>
    Number((await rows<{ seq: string }>('select max(seq) as seq from changes'))[0]?.seq);

  /** A till's event stream through the balancer, and the instance it landed on. */
  async function subscribe(till: PairedTerminal) {
    const ws = new WebSocket(`${proxy.url.replace('http', 'ws')}/v1/events?token=${till.token}`);
    const events: ServerEvent[] = [];
    ws.on('message', (data: Buffer) => events.push(JSON.parse(data.toString()) as ServerEvent));
    await vi.waitFor(() => expect(events[0]?.type).toBe('hello'), WAIT);
    expect(proxy.served.at(-1)?.upgrade).toBe(true);
    const nudged = (cursor: string) =>
      vi.waitFor(
        () => expect(events.some((e) => e.type === 'changes' && e.cursor === cursor)).toBe(true),
        WAIT,
      );
    return { ws, upstream: proxy.served.at(-1)?.upstream ?? -1, nudged };
  }

  it("hears the other instance's writes again once its lost LISTEN connection is back", async () => {
    const chain = { url: proxy.url, demo };
    const till = await pairTerminal(chain, 'hz-001');
    const events = await subscribe(till);
    const listeners = () =>
      rows<{ pid: number }>(
        `select pid from pg_stat_activity
         where query = 'LISTEN tillpoint_changes' and datname = current_database()`,
      );
    // What a PostgreSQL restart or an idle-session cut does to both instances' connections.
    const cut = await rows<{ pid: number }>(
      `select pid, pg_terminate_backend(pid) from pg_stat_activity
       where query = 'LISTEN tillpoint_changes' and datname = current_database()`,
    );
    expect(cut).toHaveLength(2);
    const old = new Set(cut.map((r) => r.pid));
    await vi.waitFor(async () => {
      const now = await listeners();
      expect(now.filter((r) => !old.has(r.pid))).toHaveLength(2);
    }, WAIT);
    // Back, it nudges with the feed head for what it may have missed…
    await events.nudged(encodeCursor(await feedHead()));
    // …and a write through the other instance reaches this one's till again.
    const items = demoCodes(chain, 'demo-cash')
      .slice(-2)
      .map((code) => redemption(till, code));
    const r = await call<BatchPushResponse>(proxy.url, 'POST', PUSH_PATH, {
      token: till.token,
      body: { items },
    });
    expect(r.json.outcomes.map((o) => o.outcome.status)).toEqual(['accepted', 'accepted']);
    expect(proxy.served.at(-1)).toMatchObject({ path: PUSH_PATH, upstream: 1 - events.upstream });
    await events.nudged(encodeCursor(await feedHead()));
    events.ws.close();
  });

  it('keeps every redemption and sale exactly once, and nudges arriving, when one instance is killed mid-push', async () => {
    const chain = { url: proxy.url, demo };
    const tills = [
      await pairTerminal(chain, 'sh-001'),
      await pairTerminal(chain, 'sh-001'),
      await pairTerminal(chain, 'sh-001'),
    ];
    const [first] = tills;
    if (!first) throw new Error('no till');
    // The last two are the LISTEN test's.
    const codes = demoCodes(chain, 'demo-cash').slice(0, -2);
    const take = (n: number) => codes.splice(0, n);

    // A till's event stream: whichever instance it landed on survives.
    const events = await subscribe(first);
    const survivor = events.upstream;
    const victim = 1 - survivor;
    const nudged = events.nudged;

    const pushed: RedemptionRequest[] = [];
    const sales: SaleRequest[] = [];
    const cuts = { n: 0 };
    const push = async (till: PairedTerminal, n: number) => {
      const items = take(n).map((code) => redemption(till, code));
      pushed.push(...items);
      const answer = await pushUntilAnswered<BatchPushResponse>(till, PUSH_PATH, { items }, cuts);
      return { items, answer };
    };

    // A write through the other instance nudges the till on this one (PostgreSQL NOTIFY).
    const before = await push(first, 2);
    expect(proxy.served.at(-1)).toMatchObject({ path: PUSH_PATH, upstream: victim });
    expect(before.answer.outcomes.map((o) => o.outcome.status)).toEqual(['accepted', 'accepted']);
    await nudged(encodeCursor(await feedHead()));

    // Three tills push at once; the victim dies once it has committed one of their pushes,
    // before its answer reaches the till, and with whatever else it had in flight.
    const killed = proxy.onNextAnswer('POST', PUSH_PATH, victim, () =>
      (instances[victim] as ServerProcess).kill(),
    );
    const cart = cartOf([['oolong-tea', 'tea', 1800, 1]]);
    const answers = await Promise.all(
      tills.map(async (till) => {
        const outcomes: BatchPushResponse['outcomes'] = [];
        for (let round = 0; round < 3; round += 1)
          outcomes.push(...(await push(till, 4)).answer.outcomes);
        const items = [0, 1, 2].map(() =>
          saleRequest(
            till,
            cart,
            [],
            [],
            [{ kind: 'cash', amountFen: 1800, tenderedFen: 2000 } as Tender],
            {
              offline: true,
            },
          ),
        );
        sales.push(...items);
        const sold = await pushUntilAnswered<SalesPushResponse>(
          till,
          '/v1/sales/batch',
          { items },
          cuts,
        );
        return { outcomes, sold };
      }),
    );
    await killed;
    expect(instances[victim]?.child.exitCode ?? instances[victim]?.child.signalCode).toBe(
      'SIGKILL',
    );
    // At least the push whose answer was lost was sent again.
    expect(cuts.n).toBeGreaterThan(0);
    // A push sent again after its commit is answered with what was stored: no conflict, no refusal.
    for (const { outcomes, sold } of answers) {
      expect(outcomes.map((o) => o.outcome.status)).toEqual(Array(12).fill('accepted'));
      expect(sold.outcomes.map((o) => o.outcome.state)).toEqual(['paid', 'paid', 'paid']);
    }

    // After the kill the survivor takes every push, and the till still hears of it.
    const after = await push(first, 2);
    expect(proxy.served.at(-1)).toMatchObject({ path: PUSH_PATH, upstream: survivor });
    expect(after.answer.outcomes.map((o) => o.outcome.status)).toEqual(['accepted', 'accepted']);
    await nudged(encodeCursor(await feedHead()));
    events.ws.close();

    // Exactly once in the database: every id one row, every code redeemed once, every sale once.
    const ids = pushed.map((r) => r.id);
    const byId = await rows<{ id: string; n: string }>(
      'select id, count(*) as n from redemptions where id = any($1) group by id',
      [ids],
    );
    expect(byId).toHaveLength(ids.length);
    expect(byId.every((r) => Number(r.n) === 1)).toBe(true);
    const byCode = await rows<{ code: string; n: string }>(
      `select code, count(*) as n from redemptions
       where status = 'accepted' and code = any($1) group by code`,
      [pushed.map((r) => r.code)],
    );
    expect(byCode.map((r) => r.code).sort()).toEqual(pushed.map((r) => r.code).sort());
    expect(byCode.every((r) => Number(r.n) === 1)).toBe(true);
    const sold = await rows<{ id: string; n: string }>(
      'select id, count(*) as n from sales where id = any($1) group by id',
      [sales.map((s) => s.id)],
    );
    expect(sold).toHaveLength(sales.length);
    expect(sold.every((r) => Number(r.n) === 1)).toBe(true);
  });
});
