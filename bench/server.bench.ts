/**
 * `npm run bench -- server`: the sync server as its own process, loaded by
 * autocannon from this process at 100 connections, first on a fresh SQLite
 * data dir, then on a throwaway PostgreSQL (durable settings) started here.
 *
 * SQLite: PAIRS pairs of short runs, GET /healthz then POST /v1/redemptions
 * on fresh codes (A B A B …), so that the redeem/trivial ratio is taken from
 * runs seconds apart and its median cannot be moved by one noisy burst on a
 * shared machine; then a batch push of 10,000 redemptions (20 × 500).
 * PostgreSQL: one redeem run and the same batch push, capped at
 * PG_PUSH_LIMIT_S (the figure is then projected from what was pushed).
 *
 * BENCH_SERVER_DATABASES=sqlite or =postgres runs one of the two (default
 * both); BENCH_PG_DURABLE=0 runs PostgreSQL with fsync, synchronous_commit
 * and full_page_writes off, as the test suite's cluster does.
 *
 * Every answer is checked: a run with transport errors, non-2xx answers, or
 * redemptions that were not accepted (a reused code, a bug) reports its
 * figures but exits non-zero, so a broken server cannot post a good number.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayPostgres } from '../test/setup/postgres';
import { quantile, report } from './report';
import {
  batchPush,
  FreshCodes,
  prepareChain,
  problems,
  redeemRun,
  trivialRun,
  type Run,
} from './server-load';
import { startServerProcess, type ServerProcess } from './server-process';

const PAIRS = 5;
const PAIR_RUN_S = 2;
const PG_REDEEM_S = 6;
const PG_PUSH_LIMIT_S = 30;
const PUSH_CODES = 10_000;

const median = (xs: readonly number[]) => quantile(xs, 0.5);
/** Completed requests per second over the whole run (autocannon's average is of 1 s buckets). */
const rate = (run: Run) => run.result.requests.total / run.result.duration;

/** Starts a server, runs `body` against it, and stops it and removes its data whatever happens. */
async function withServer(
  databaseUrl: string | undefined,
  body: (server: ServerProcess, dataDir: string) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-bench-'));
  try {
    const server = await startServerProcess(dataDir, databaseUrl);
    try {
      await body(server, dataDir);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function reportPush(area: string, push: Awaited<ReturnType<typeof batchPush>>): void {
  const perSecond = push.sent / push.seconds;
  if (push.capped)
    console.error(
      `# ${area}: time limit reached after ${push.sent} of ${PUSH_CODES} items in ` +
        `${push.seconds.toFixed(1)} s; seconds below are projected for ${PUSH_CODES}`,
    );
  report(`${area}.batch10k.seconds`, push.capped ? PUSH_CODES / perSecond : push.seconds, 's');
  report(`${area}.batch10k.items_per_s`, perSecond, 'items/s');
}

async function sqlite(): Promise<void> {
  await withServer(undefined, async (server, dataDir) => {
    // Enough fresh codes for every redeem run of a fast server (about 9,000/s × 10 s).
    const codes = { R: 200_000, P: PUSH_CODES };
    const till = await prepareChain(server, dataDir, codes);
    const fresh = new FreshCodes('R', codes.R);
    const trivial: Run[] = [];
    const redeem: Run[] = [];
    let redeemCpuMs = 0;
    console.error(`# ${PAIRS} pairs of ${PAIR_RUN_S} s runs: GET /healthz, POST /v1/redemptions`);
    for (let i = 0; i < PAIRS; i++) {
      trivial.push(await trivialRun(server.url, PAIR_RUN_S));
      const cpuBefore = server.cpuMs();
      redeem.push(await redeemRun(till, fresh, PAIR_RUN_S));
      redeemCpuMs += server.cpuMs() - cpuBefore;
    }
    const ratios = redeem.map((r, i) => rate(r) / rate(trivial[i] as Run));
    console.error(
      `# per pair: trivial ${trivial.map((r) => rate(r).toFixed(0)).join(' ')} ops/s; ` +
        `redeem ${redeem.map((r) => rate(r).toFixed(0)).join(' ')} ops/s; ` +
        `ratio ${ratios.map((x) => x.toFixed(3)).join(' ')}`,
    );
    if (fresh.refused > 0) problems.push(`redeem: ${fresh.refused} answers were not acceptances`);
    // Less sensitive to other load on the machine than the rate: what one redemption costs the server.
    const cpuUs = (redeemCpuMs * 1000) / Math.max(1, fresh.accepted + fresh.refused);
    console.error(
      `# ${fresh.accepted} redemptions accepted; server CPU ${cpuUs.toFixed(0)} µs each`,
    );
    const latencies = redeem.flatMap((r) => r.latenciesMs);
    report('server.trivial.ops_per_s', median(trivial.map(rate)), 'ops/s');
    report('server.redeem.ops_per_s', median(redeem.map(rate)), 'ops/s');
    report('server.redeem.p50_ms', quantile(latencies, 0.5), 'ms');
    report('server.redeem.p99_ms', quantile(latencies, 0.99), 'ms');
    report('server.redeem.ratio', median(ratios), 'ratio');

    console.error('# batch push of 10,000 (20 × 500)');
    reportPush('server', await batchPush(till, 'P', PUSH_CODES, Number.POSITIVE_INFINITY));
  });
}

async function postgres(): Promise<void> {
  const durable = process.env['BENCH_PG_DURABLE'] !== '0';
  console.error(
    `# PostgreSQL: starting a throwaway cluster (fsync and synchronous_commit ${durable ? 'on' : 'OFF'})`,
  );
  const pg = await startThrowawayPostgres({ durable });
  try {
    await withServer(pg.url, async (server, dataDir) => {
      const codes = { R: 50_000, P: PUSH_CODES };
      const till = await prepareChain(server, dataDir, codes);
      const fresh = new FreshCodes('R', codes.R);
      console.error(`# PostgreSQL: POST /v1/redemptions for ${PG_REDEEM_S} s`);
      const cpuBefore = server.cpuMs();
      const run = await redeemRun(till, fresh, PG_REDEEM_S);
      const cpuUs =
        ((server.cpuMs() - cpuBefore) * 1000) / Math.max(1, fresh.accepted + fresh.refused);
      console.error(
        `# ${fresh.accepted} redemptions accepted; server CPU ${cpuUs.toFixed(0)} µs each`,
      );
      if (fresh.refused > 0)
        problems.push(`pg redeem: ${fresh.refused} answers were not acceptances`);
      report('server.pg.redeem.ops_per_s', rate(run), 'ops/s');
      report('server.pg.redeem.p50_ms', quantile(run.latenciesMs, 0.5), 'ms');
      report('server.pg.redeem.p99_ms', quantile(run.latenciesMs, 0.99), 'ms');

      console.error(`# PostgreSQL: batch push of 10,000 (20 × 500), at most ${PG_PUSH_LIMIT_S} s`);
      reportPush('server.pg', await batchPush(till, 'P', PUSH_CODES, PG_PUSH_LIMIT_S));
    });
  } finally {
    pg.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const databases = (process.env['BENCH_SERVER_DATABASES'] ?? 'sqlite,postgres').split(',');
  if (databases.includes('sqlite')) await sqlite();
  if (databases.includes('postgres')) await postgres();
  console.error(`# server bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`# FAILED ${p}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
