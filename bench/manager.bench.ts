/**
 * `npm run bench -- manager`: the manager console's heavy moments, against the server as its
 * own process on a fresh SQLite file.
 * - manager.issue100k.seconds: a chain manager issues 100,000 signed codes through the real
 *   endpoint (POST /v1/manager/batches/:id/codes) and reads the whole CSV; every row is counted
 *   and checked distinct. Target < 20 s.
 * - manager.codes_page.p95_ms: GET /v1/manager/codes, a page of 100, at random cursors and
 *   filters (none, batch, state, batch and state) over 1,000,000 codes more. Those are written
 *   straight into the file in one transaction with the server stopped (bench/manager-fill.ts):
 *   seconds, where 10 runs of the endpoint above would take minutes and sign codes no page
 *   needs. Target < 50 ms.
 * - manager.bundle.gzip_kb: the console's initial load, gzipped: dist/renderer/manager/index.html
 *   and the scripts and styles it names (its entry and modulepreloads; not the lazy chunks).
 *   Target < 300 KB.
 * The load average is logged beside the figures: on a shared 2-core machine other work moves
 * them. Every answer is checked; a run with a failed one exits non-zero.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CodesPage, Session } from '../core/protocol';
import { FILL_CODES, fillCodes, fillCursor } from './manager-fill';
import { quantile, report } from './report';
import { json, startServerProcess, type ServerProcess } from './server-process';

const REPO = join(import.meta.dirname, '..');
const ISSUE = 100_000;
const PAGE_REQUESTS = 300;
const WARM_UP = 10;

const problems: string[] = [];
const log = (line: string): void => void process.stderr.write(`# ${line}\n`);
const logLoad = (what: string): void =>
  log(
    `load average (${what}): ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );

interface Demo {
  managers: { username: string; password: string }[];
}

async function signIn(server: ServerProcess, dataDir: string): Promise<string> {
  const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as Demo;
  const session = await json<Session>(`${server.url}/v1/sessions`, {
    body: { kind: 'password', ...demo.managers[0] },
  });
  return session.token;
}

/** Issues ISSUE codes and reads the CSV as it streams: rows counted, codes checked distinct. */
async function issue(server: ServerProcess, token: string): Promise<void> {
  logLoad('before issuing');
  const started = performance.now();
  const res = await fetch(`${server.url}/v1/manager/batches/demo-cash/codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ count: ISSUE, claimedAt: null }),
  });
  if (!res.ok || !res.body) throw new Error(`issuing → ${res.status} ${await res.text()}`);
  const codes = new Set<string>();
  let rows = 0;
  let header: string | null = null;
  let rest = '';
  let firstByte = 0;
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    if (firstByte === 0) firstByte = performance.now() - started;
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (header === null) header = line;
      else if (line !== '') {
        rows += 1;
        codes.add(line.slice(0, line.indexOf(',')));
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (rest !== '') problems.push(`the CSV ends in a partial line: ${rest.slice(0, 80)}`);
  if (header !== 'code,batch_id,serial') problems.push(`CSV header: ${header}`);
  if (rows !== ISSUE || codes.size !== ISSUE)
    problems.push(`the CSV holds ${rows} rows, ${codes.size} distinct codes; asked for ${ISSUE}`);
  log(
    `${rows} rows, ${codes.size} distinct; first byte after ${(firstByte / 1000).toFixed(1)} s; server CPU so far ${(server.cpuMs() / 1000).toFixed(1)} s`,
  );
  report('manager.issue100k.seconds', seconds, 's');
  logLoad('after issuing');
}

/** A random page request: a cursor somewhere in the filled codes (or none) and a filter. */
function randomPage(batches: readonly string[]): string {
  const q = new URLSearchParams({ limit: '100' });
  const pick = Math.floor(Math.random() * 4);
  const batch = batches[Math.floor(Math.random() * batches.length)] ?? 'demo-cash';
  const state = Math.random() < 0.7 ? 'issued' : 'redeemed';
  if (pick === 1 || pick === 3) q.set('batchId', batch);
  if (pick === 2 || pick === 3) q.set('state', state);
  if (Math.random() < 0.9) q.set('after', fillCursor(Math.floor(Math.random() * FILL_CODES)));
  return q.toString();
}

async function pages(server: ServerProcess, token: string, batches: readonly string[]) {
  logLoad('before paging');
  const samples: number[] = [];
  const slow: { ms: number; query: string }[] = [];
  let cpuBefore = server.cpuMs();
  for (let i = 0; i < PAGE_REQUESTS + WARM_UP; i++) {
    if (i === WARM_UP) cpuBefore = server.cpuMs();
    const query = randomPage(batches);
    const started = performance.now();
    const res = await fetch(`${server.url}/v1/manager/codes?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    const ms = performance.now() - started;
    if (!res.ok) {
      problems.push(`GET codes?${query} → ${res.status} ${text.slice(0, 200)}`);
      continue;
    }
    const page = JSON.parse(text) as CodesPage;
    if (page.codes.length !== 100 && page.next !== null)
      problems.push(`codes?${query}: ${page.codes.length} codes and a next page`);
    if (i >= WARM_UP) {
      samples.push(ms);
      slow.push({ ms, query });
    }
  }
  const cpuMs = (server.cpuMs() - cpuBefore) / samples.length;
  log(
    `${samples.length} pages: p50 ${quantile(samples, 0.5).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms; server CPU ${cpuMs.toFixed(1)} ms each`,
  );
  for (const s of slow.sort((a, b) => b.ms - a.ms).slice(0, 3))
    log(`slowest: ${s.ms.toFixed(1)} ms ${s.query}`);
  report('manager.codes_page.p50_ms', quantile(samples, 0.5), 'ms');
  report('manager.codes_page.p95_ms', quantile(samples, 0.95), 'ms');
  logLoad('after paging');
}

/** The console's first load: its page and what the page names, each gzipped as served. */
function bundleGzipKb(): number {
  const build = spawnSync(
    process.execPath,
    [join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: REPO, stdio: ['ignore', 2, 2] },
  );
  if (build.status !== 0) throw new Error('vite build failed');
  const dist = join(REPO, 'dist', 'renderer');
  const html = readFileSync(join(dist, 'manager', 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/manager\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] ?? '',
  );
  let bytes = gzipSync(html).length;
  for (const asset of assets) {
    const kb = gzipSync(readFileSync(join(dist, asset))).length;
    log(`initial asset ${asset}: ${(kb / 1024).toFixed(1)} KB gzipped`);
    bytes += kb;
  }
  return bytes / 1024;
}

async function main(): Promise<void> {
  report('manager.bundle.gzip_kb', bundleGzipKb(), 'KB');
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-bench-manager-'));
  try {
    let server = await startServerProcess(dataDir);
    try {
      await issue(server, await signIn(server, dataDir));
    } finally {
      await server.stop();
    }
    const filled = performance.now();
    const batches = await fillCodes(dataDir);
    log(
      `filled ${FILL_CODES} codes over ${batches.length} batches in ${((performance.now() - filled) / 1000).toFixed(1)} s`,
    );
    server = await startServerProcess(dataDir);
    try {
      await pages(server, await signIn(server, dataDir), batches);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    for (const p of problems.slice(0, 20)) log(`FAILED ${p}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
