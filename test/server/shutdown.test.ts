import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PairResponse } from '../../core/protocol';
import type { DemoFile } from '../../server/seed/demo';
import { call } from '../helpers/server-client';
import { createPgDatabase, DRIVERS, type Driver } from '../helpers/server-harness';
import { spawnServer, type ServerProcess } from '../helpers/server-process';

/** What a supervisor is promised: SIGTERM to exit in under 5 s. Used as a wait limit, not a timing assertion. */
const EXIT_LIMIT_MS = 5_000;

interface World {
  readonly server: ServerProcess;
  readonly demo: DemoFile;
  readonly till: PairResponse;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startWorld(driver: Driver): Promise<World> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-shutdown-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const database = driver === 'postgres' ? await createPgDatabase() : null;
  if (database) cleanups.push(() => database.drop());
  const server = await spawnServer(
    ['--demo', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
    { DATABASE_URL: database?.url ?? '' },
  );
  cleanups.push(() => {
    if (server.child.exitCode === null && server.child.signalCode === null)
      server.child.kill('SIGKILL');
  });
  const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoFile;
  const pair = await call<PairResponse>(server.url, 'POST', '/v1/terminals/pair', {
    body: { pairingCode: demo.pairingCodes[0]?.code, name: 'till 1' },
  });
  expect(pair.status).toBe(200);
  return { server, demo, till: pair.json };
}

/** A till's event channel, open and greeted; `closed` resolves with the server's close code. */
async function openEvents(world: World): Promise<{ closed: Promise<number> }> {
  const ws = new WebSocket(
    `${world.server.url.replace(/^http/, 'ws')}/v1/events?token=${world.till.token}`,
  );
  cleanups.push(() => ws.terminate());
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('message', resolve);
    ws.once('error', reject);
  });
  return { closed };
}

/** A keep-alive connection that has had its answer and now sits idle; `closed` resolves when the server ends it. */
async function idleKeepAlive(url: string): Promise<{ closed: Promise<void> }> {
  const agent = new Agent({ keepAlive: true });
  cleanups.push(() => agent.destroy());
  let socket: Socket | null = null;
  await new Promise<void>((resolve, reject) => {
    const req = get(`${url}/healthz`, { agent }, (res) => {
      res.resume();
      res.once('end', resolve);
    });
    req.once('socket', (s) => (socket = s));
    req.once('error', reject);
  });
  const s = socket as Socket | null;
  if (!s) throw new Error('the keep-alive request had no socket');
  return { closed: new Promise((resolve) => s.once('close', () => resolve())) };
}

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

/**
 * A redemption whose body is only partly sent: in flight from the server's point of view
 * until `finish()` sends the rest. `answer` is what the server sent after 100 Continue, up to closing.
 */
async function inFlightRedemption(
  world: World,
): Promise<{ finish(): void; answer: Promise<string> }> {
  const code = world.demo.codes['demo-cash']?.[0] ?? '';
  const body = JSON.stringify({
    id: '01890a5d-ac96-774b-bcce-b302099a8057',
    code,
    storeId: world.till.store.id,
    terminalId: world.till.terminalId,
    at: new Date().toISOString(),
    cart: null,
    offline: null,
  });
  const socket = connect(Number(new URL(world.server.url).port), '127.0.0.1');
  cleanups.push(() => void socket.destroy());
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  const continued = new Promise<void>((resolve) =>
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.startsWith(CONTINUE)) resolve();
    }),
  );
  const answer = new Promise<string>((resolve) =>
    socket.once('close', () => resolve(text.replace(CONTINUE, ''))),
  );
  // Node answers 100 Continue just as it hands the request to fastify, so once
  // it arrives the request is in flight, not merely on the wire.
  socket.write(
    `POST /v1/redemptions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Authorization: Bearer ${world.till.token}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Expect: 100-continue\r\n\r\n`,
  );
  await continued;
  socket.write(body.slice(0, 20));
  return { finish: () => socket.write(body.slice(20)), answer };
}

/** A WebSocket peer that never answers the server's close frame (a till whose network just went). */
async function deafWebSocket(world: World): Promise<void> {
  const socket = connect(Number(new URL(world.server.url).port), '127.0.0.1');
  cleanups.push(() => void socket.destroy());
  const greeted = new Promise<void>((resolve) => {
    let seen = '';
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen.includes('"hello"')) resolve();
    });
  });
  socket.write(
    `GET /v1/events?token=${world.till.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await greeted;
}

/** SIGTERM, then the exit code, or 'still running' if the process outlives EXIT_LIMIT_MS. */
async function terminate(server: ServerProcess): Promise<number | null | 'still running'> {
  const started = performance.now();
  const exited = server.stop();
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    exited,
    new Promise<'still running'>((resolve) => {
      timer = setTimeout(() => resolve('still running'), EXIT_LIMIT_MS);
    }),
  ]);
  clearTimeout(timer);
  console.info(`SIGTERM to exit: ${(performance.now() - started).toFixed(0)} ms`);
  return result;
}

describe.each(DRIVERS)('SIGTERM on %s', (driver) => {
  it('finishes the in-flight request, closes idle keep-alive and WebSocket connections, and exits 0', async () => {
    const world = await startWorld(driver);
    const events = await openEvents(world);
    const idle = await idleKeepAlive(world.server.url);
    const request = await inFlightRedemption(world);

    const exit = terminate(world.server);
    // The till is told the server is restarting (1012), so it reconnects with backoff.
    expect(await events.closed).toBe(1012);
    await idle.closed;
    request.finish();

    expect(await exit).toBe(0);
    const answer = await request.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 2\d\d /);
    expect(answer).toMatch(/^connection: close$/im);
    expect(answer).toContain('"status":"accepted"');
  });

  it('cuts a request whose body never arrives and a WebSocket that never answers the close, and exits 0', async () => {
    const world = await startWorld(driver);
    const events = await openEvents(world);
    await deafWebSocket(world);
    const stuck = await inFlightRedemption(world);

    const exit = terminate(world.server);
    expect(await events.closed).toBe(1012);
    expect(await exit).toBe(0);
    expect(await stuck.answer).toBe('');
  });
});
