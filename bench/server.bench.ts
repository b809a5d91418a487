/**
 * `npm run bench -- server`: the sync server on a fresh SQLite data dir, run
 * as its own process, loaded by autocannon from this process at 100
 * connections: (a) GET /healthz, (b) POST /v1/redemptions on fresh codes,
 * (c) a batch push of 10,000 redemptions (20 × 500). Ids are UUID v7, as
 * the renderer makes them (renderer/data/deps.ts).
 *
 * Every answer is checked: a run with transport errors, non-2xx answers, or
 * redemptions that were not accepted (a reused code, a bug) reports its
 * figures but exits non-zero, so a broken server cannot post a good number.
 * BENCH_SERVER_NODE_ARGS adds node flags to the server process, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under this load.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { v7 as uuidv7 } from 'uuid';
import { aBatch } from '../test/helpers/core-builders';
import { report } from './report';

const CONNECTIONS = 100;
const DURATION_S = 10;
const REDEEM_CODES = 200_000;
const PUSH_CODES = 10_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Demo {
  pairingCodes: { storeId: string; code: string }[];
  managers: { username: string; password: string }[];
}

async function json<T>(
  url: string,
  init: { method?: string; token?: string; body?: unknown },
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'POST'} ${url} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface ServerProcess {
  readonly url: string;
  /** CPU time (user + system) the server process has used so far, in ms; NaN where unknown. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Linux: utime + stime from /proc/PID/stat, in clock ticks (100 per second). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

function startServerProcess(dataDir: string): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env['BENCH_SERVER_NODE_ARGS']?.split(/\s+/).filter(Boolean) ?? []),
      '--import',
      'tsx',
      join(root, 'server/cli.ts'),
      '--demo',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^TILLPOINT_SERVER_LISTENING (\S+)$/.exec(line);
      if (m?.[1])
        resolve({
          url: m[1],
          cpuMs: () => cpuMsOf(child.pid),
          stop: () => (child.kill('SIGTERM'), exited),
        });
    });
    void exited.then(() => reject(new Error('the server exited before listening')));
  });
}

const codeName = (prefix: string, i: number) => `${prefix}-${String(i).padStart(7, '0')}`;

/** Problems that make this run's figures untrustworthy; any of them fails the bench. */
const problems: string[] = [];

function checkRun(name: string, result: autocannon.Result): void {
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0)
    problems.push(
      `${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors (${result.timeouts} timeouts)`,
    );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-bench-'));
  const server = await startServerProcess(dataDir);
  try {
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as Demo;
    const admin = demo.managers[0];
    const pairing = demo.pairingCodes[0];
    if (!admin || !pairing) throw new Error('demo.json lacks a manager or a pairing code');
    const session = await json<{ token: string }>(`${server.url}/v1/sessions`, {
      body: { kind: 'password', ...admin },
    });
    await json(`${server.url}/v1/manager/batches`, {
      token: session.token,
      body: aBatch({
        id: 'bench-cash',
        name: 'bench cash',
        benefit: { kind: 'cash', valueFen: 100 },
        validity: {
          type: 'fixed',
          from: '2020-01-01T00:00:00.000Z',
          until: '2099-01-01T00:00:00.000Z',
        },
      }),
    });
    console.error(`# importing ${REDEEM_CODES + PUSH_CODES} codes`);
    for (const [prefix, total] of [
      ['R', REDEEM_CODES],
      ['P', PUSH_CODES],
    ] as const) {
      for (let i = 0; i < total; i += 10_000) {
        const codes = Array.from({ length: Math.min(10_000, total - i) }, (_, k) =>
          codeName(prefix, i + k),
        );
        await json(`${server.url}/v1/manager/batches/bench-cash/import`, {
          token: session.token,
          body: { codes, claimedAt: null },
        });
      }
    }
    const till = await json<{ token: string; terminalId: string; store: { id: string } }>(
      `${server.url}/v1/terminals/pair`,
      {
        body: { pairingCode: pairing.code, name: 'bench till' },
      },
    );

    console.error('# (a) GET /healthz');
    const trivial = await autocannon({
      url: `${server.url}/healthz`,
      connections: CONNECTIONS,
      duration: DURATION_S,
    });
    checkRun('trivial', trivial);
    report('server.trivial.ops_per_s', trivial.requests.average, 'ops/s');

    console.error('# (b) POST /v1/redemptions on fresh codes');
    const cpuBefore = server.cpuMs();
    let next = 0;
    let accepted = 0;
    let refused = 0;
    const redeem = await autocannon({
      url: server.url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [
        {
          method: 'POST',
          path: '/v1/redemptions',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${till.token}` },
          setupRequest: (req) => {
            const code = codeName('R', next++ % REDEEM_CODES);
            return {
              ...req,
              body: JSON.stringify({
                id: uuidv7(),
                code,
                storeId: till.store.id,
                terminalId: till.terminalId,
                at: new Date().toISOString(),
                cart: null,
                offline: null,
              }),
            };
          },
          // Every code is fresh, so every 200 must be an acceptance.
          onResponse: (status, body) => {
            if (status === 200 && body.includes('"status":"accepted"')) accepted += 1;
            else refused += 1;
          },
        },
      ],
    });
    checkRun('redeem', redeem);
    if (next > REDEEM_CODES) problems.push(`redeem: ran out of fresh codes (${next} requests)`);
    if (refused > 0) problems.push(`redeem: ${refused} answers were not acceptances`);
    // Less sensitive to other load on the machine than the rate: what one redemption costs the server.
    const cpuUs = ((server.cpuMs() - cpuBefore) * 1000) / Math.max(1, accepted + refused);
    console.error(`# ${accepted} redemptions accepted; server CPU ${cpuUs.toFixed(0)} µs each`);
    report('server.redeem.ops_per_s', redeem.requests.average, 'ops/s');
    report('server.redeem.p50_ms', redeem.latency.p50, 'ms');
    report('server.redeem.p99_ms', redeem.latency.p99, 'ms');
    report('server.redeem.ratio', redeem.requests.average / trivial.requests.average, 'ratio');

    console.error('# (c) batch push of 10,000 (20 × 500)');
    const started = performance.now();
    let pushed = 0;
    for (let chunk = 0; chunk < PUSH_CODES / 500; chunk++) {
      const items = Array.from({ length: 500 }, (_, k) => ({
        id: uuidv7(),
        code: codeName('P', chunk * 500 + k),
        storeId: till.store.id,
        terminalId: till.terminalId,
        at: new Date().toISOString(),
        cart: null,
        offline: null,
      }));
      const out = await json<{ outcomes: { outcome: { status: string } }[] }>(
        `${server.url}/v1/redemptions/batch`,
        { token: till.token, body: { items } },
      );
      pushed += out.outcomes.filter((o) => o.outcome.status === 'accepted').length;
    }
    report('server.batch10k.seconds', (performance.now() - started) / 1000, 's');
    if (pushed !== PUSH_CODES)
      problems.push(`batch: only ${pushed} of ${PUSH_CODES} pushed redemptions were accepted`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(`# FAILED ${p}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
