/**
 * `npm run bench -- reports`: the reports on a generated chain (server/seed/chain.ts: 500
 * stores, 200 batches, 2,000,000 claims, 1,000,000 redemptions, 1,000,000 sales over 180
 * days), generated once per database into a temp dir, then the server as its own process:
 * - reports.batch.p95_ms: GET the batch report (funnel, cycle, stores, hours) over 180 days,
 *   one batch after another;
 * - reports.store_day.p95_ms: GET the store × day heatmap of the last 90 days, all 500 stores;
 * - reports.claim.ops_per_s: POST /claim/:id on one published page, each request a new
 *   customer (its own device key), from many client addresses (127.x.y.z, loopback) as phones
 *   are, so the per-address rate limit (20 a minute) counts but does not refuse. The answer is
 *   the page; the phone then loads the code's QR once (server/claims/images.ts), whose server
 *   CPU is printed on stderr.
 * PostgreSQL figures are named reports.pg.…, as bench/server.bench.ts names its own.
 *
 * BENCH_REPORTS_DATABASES=sqlite or =postgres runs one (default both); BENCH_REPORTS_SCALE
 * (default 1) generates a smaller chain; BENCH_REPORTS_SQLITE_DIR=DIR and BENCH_REPORTS_PG_URL=URL
 * reuse a full chain generated there by `npm run generate-chain` (written to: the claims land in
 * it). Every answer is
 * checked: a run with a failed request reports its figures but exits non-zero.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaimPageView, Session } from '../core/protocol';
import { CHAIN_MANAGER, generateChain } from '../server/seed/chain';
import { startThrowawayPostgres } from '../test/setup/postgres';
import { quantile, report } from './report';
import { json, startServerProcess, type ServerProcess } from './server-process';

const BATCH_REQUESTS = 60;
const STORE_DAY_REQUESTS = 40;
const WARM_UP = 5;
const CLAIM_SECONDS = 6;
const CLAIM_CONNECTIONS = 32;
/** Claims sent from one client address: under the per-address limit of 20 a minute. */
const CLAIMS_PER_ADDRESS = 19;
const CLAIM_CODES = 20_000;
/** Claimed codes whose QR image is fetched afterwards, as their phones do. */
const QR_IMAGES = 500;
const DAY_MS = 86_400_000;

const problems: string[] = [];
const shanghaiDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

async function timedGet(url: string, token: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const ms = performance.now() - started;
  if (!res.ok) problems.push(`GET ${url} → ${res.status} ${text.slice(0, 200)}`);
  return ms;
}

/**
 * Sequential requests (one manager at the console), the first WARM_UP not counted; with the
 * server's CPU time per counted request, which other load on the machine moves less than latency.
 */
async function latencies(
  server: ServerProcess,
  urls: readonly string[],
  token: string,
): Promise<number[] & { cpuMs?: number }> {
  const out: number[] & { cpuMs?: number } = [];
  let cpuBefore = server.cpuMs();
  for (const [i, url] of urls.entries()) {
    if (i === WARM_UP) cpuBefore = server.cpuMs();
    const ms = await timedGet(url, token);
    if (i >= WARM_UP) out.push(ms);
  }
  out.cpuMs = (server.cpuMs() - cpuBefore) / Math.max(1, out.length);
  return out;
}

async function reports(server: ServerProcess, name: string, batches: number): Promise<string> {
  const login = await json<Session>(`${server.url}/v1/sessions`, {
    body: { kind: 'password', ...CHAIN_MANAGER },
  });
  const today = shanghaiDate(Date.now());
  const from180 = shanghaiDate(Date.now() - 180 * DAY_MS);
  const from90 = shanghaiDate(Date.now() - 89 * DAY_MS);
  const batchUrls = Array.from({ length: BATCH_REQUESTS + WARM_UP }, (_, i) => {
    const id = `b${String((i % batches) + 1).padStart(3, '0')}`;
    return `${server.url}/v1/manager/reports/batches/${id}?from=${from180}&to=${today}`;
  });
  const batch = await latencies(server, batchUrls, login.token);
  console.error(
    `# ${name}: batch report p50 ${quantile(batch, 0.5).toFixed(1)} ms, max ${Math.max(...batch).toFixed(1)} ms; server CPU ${batch.cpuMs?.toFixed(1)} ms each`,
  );
  report(`reports.${name === 'sqlite' ? '' : 'pg.'}batch.p95_ms`, quantile(batch, 0.95), 'ms');
  const heatmapUrl = `${server.url}/v1/manager/reports/store-days?from=${from90}&to=${today}`;
  const storeDay = await latencies(
    server,
    Array.from({ length: STORE_DAY_REQUESTS + WARM_UP }, () => heatmapUrl),
    login.token,
  );
  console.error(
    `# ${name}: store-day heatmap (90 days) p50 ${quantile(storeDay, 0.5).toFixed(1)} ms, max ${Math.max(...storeDay).toFixed(1)} ms; server CPU ${storeDay.cpuMs?.toFixed(1)} ms each`,
  );
  report(
    `reports.${name === 'sqlite' ? '' : 'pg.'}store_day.p95_ms`,
    quantile(storeDay, 0.95),
    'ms',
  );
  return login.token;
}

const customerCookie = (customer: number) =>
  `tp_device=bench-customer-${String(customer).padStart(16, '0')}`;

/** One claim by a new customer from `address`: the QR image's path when the page gave a code. */
function claimOnce(
  url: URL,
  agent: Agent,
  address: string,
  customer: number,
): Promise<string | null> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        localAddress: address,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': 0,
          cookie: customerCookie(customer),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          const qr = /<div class="qr"><img src="([^"]+)"/.exec(body)?.[1] ?? null;
          const ok = res.statusCode === 200 && body.includes('领取成功') && qr !== null;
          if (!ok && problems.length < 20)
            problems.push(`claim → ${res.statusCode} ${body.slice(0, 120)}`);
          resolve(ok ? qr : null);
        });
      },
    );
    req.on('error', (e) => {
      problems.push(`claim: ${e.message}`);
      resolve(null);
    });
    req.end();
  });
}

async function claims(server: ServerProcess, token: string, name: string): Promise<void> {
  const page = await json<ClaimPageView>(`${server.url}/v1/manager/claim-pages`, {
    token,
    body: {
      batchId: 'b001',
      storeId: 's001',
      title: '压测领券 bench',
      totalStock: 1_000_000,
      dailyStock: null,
      perCustomer: 1,
    },
  });
  const issued = performance.now();
  const res = await fetch(`${server.url}/v1/manager/batches/b001/codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ count: CLAIM_CODES, claimedAt: null }),
  });
  await res.text();
  if (!res.ok) throw new Error(`issuing codes → ${res.status}`);
  console.error(
    `# ${CLAIM_CODES} codes issued in ${((performance.now() - issued) / 1000).toFixed(1)} s; ` +
      `claiming for ${CLAIM_SECONDS} s on ${CLAIM_CONNECTIONS} connections`,
  );
  const url = new URL(`${server.url}/claim/${encodeURIComponent(page.id)}`);
  let nextAddress = 0;
  let nextCustomer = 0;
  let claimed = 0;
  const samples: number[] = [];
  const images: { customer: number; path: string }[] = [];
  const cpuBefore = server.cpuMs();
  const started = performance.now();
  const until = started + CLAIM_SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const n = nextAddress++;
      // 127.1.0.1 on: one address per run of claims, none twice, none ending in .0.
      const address = `127.${1 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${1 + (n % 250)}`;
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < CLAIMS_PER_ADDRESS && performance.now() < until; i++) {
        const t0 = performance.now();
        const customer = nextCustomer++;
        const qr = await claimOnce(url, agent, address, customer);
        samples.push(performance.now() - t0);
        if (qr === null) continue;
        claimed += 1;
        if (images.length < QR_IMAGES) images.push({ customer, path: qr });
      }
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: CLAIM_CONNECTIONS }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpuUs = ((server.cpuMs() - cpuBefore) * 1000) / Math.max(1, samples.length);
  console.error(
    `# ${claimed} of ${samples.length} claims given a code from ${nextAddress} addresses; ` +
      `p50 ${quantile(samples, 0.5).toFixed(1)} ms, p99 ${quantile(samples, 0.99).toFixed(1)} ms; ` +
      `server CPU ${cpuUs.toFixed(0)} µs each`,
  );
  report(`reports.${name === 'sqlite' ? '' : 'pg.'}claim.ops_per_s`, claimed / seconds, 'ops/s');
  await qrImages(server, images);
}

/** What the phones fetch next: each claimed code's QR once (then kept); its server CPU. */
async function qrImages(
  server: ServerProcess,
  images: readonly { customer: number; path: string }[],
): Promise<void> {
  const cpuBefore = server.cpuMs();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < images.length; i = next++) {
      const { customer, path } = images[i] ?? { customer: 0, path: '' };
      const res = await fetch(`${server.url}${path}`, {
        headers: { cookie: customerCookie(customer) },
      });
      const svg = await res.text();
      if (!res.ok || !svg.includes('<svg')) problems.push(`QR ${path} → ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const cpuUs = ((server.cpuMs() - cpuBefore) * 1000) / Math.max(1, images.length);
  console.error(
    `# ${images.length} QR images fetched by their owners; server CPU ${cpuUs.toFixed(0)} µs each`,
  );
}

async function generated(dataDir: string, databaseUrl: string | undefined, scale: number) {
  const summary = await generateChain({
    dataDir,
    databaseUrl,
    scale,
    progress: (line) => console.error(`# generate: ${line}`),
  });
  report(`reports.${databaseUrl ? 'pg.' : ''}generate.seconds`, summary.seconds, 's');
  return summary;
}

async function sqlite(scale: number): Promise<void> {
  const reuse = process.env['BENCH_REPORTS_SQLITE_DIR'];
  const dataDir = reuse ?? mkdtempSync(join(tmpdir(), 'tillpoint-bench-chain-'));
  try {
    const batches = reuse ? 200 : (await generated(dataDir, undefined, scale)).batches;
    const server = await startServerProcess(dataDir);
    try {
      const token = await reports(server, 'sqlite', batches);
      await claims(server, token, 'sqlite');
    } finally {
      await server.stop();
    }
  } finally {
    if (!reuse) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgres(scale: number): Promise<void> {
  // The report reads do not depend on durability; generation is much faster without it.
  const durable = process.env['BENCH_PG_DURABLE'] === '1';
  const reuse = process.env['BENCH_REPORTS_PG_URL'];
  const pg = reuse
    ? { url: reuse, stop: () => undefined }
    : await startThrowawayPostgres({ durable });
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-bench-chain-pg-'));
  try {
    const batches = reuse ? 200 : (await generated(dataDir, pg.url, scale)).batches;
    const server = await startServerProcess(dataDir, pg.url);
    try {
      const token = await reports(server, 'postgres', batches);
      await claims(server, token, 'postgres');
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    pg.stop();
  }
}

async function main(): Promise<void> {
  const scale = Number(process.env['BENCH_REPORTS_SCALE'] ?? '1');
  const databases = (process.env['BENCH_REPORTS_DATABASES'] ?? 'sqlite,postgres').split(',');
  if (databases.includes('sqlite')) await sqlite(scale);
  if (databases.includes('postgres')) await postgres(scale);
  if (problems.length > 0) {
    for (const p of problems) console.error(`# FAILED ${p}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
