import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { v7 as uuidv7 } from 'uuid';
import { aBatch } from '../test/helpers/core-builders';
import { json, type ServerProcess } from './server-process';

export const CONNECTIONS = 100;

/** A paired till on the demo chain, and the codes imported for it to redeem. */
export interface Till {
  readonly url: string;
  readonly token: string;
  readonly terminalId: string;
  readonly storeId: string;
}

interface Demo {
  pairingCodes: { storeId: string; code: string }[];
  managers: { username: string; password: string }[];
}

export const codeName = (prefix: string, i: number) => `${prefix}-${String(i).padStart(7, '0')}`;

/**
 * Adds a cash batch, imports `codes` (prefix → how many, named by codeName)
 * into it, and pairs a till. Ids are UUID v7, as the renderer makes them.
 */
export async function prepareChain(
  server: ServerProcess,
  dataDir: string,
  codes: Readonly<Record<string, number>>,
): Promise<Till> {
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
  const total = Object.values(codes).reduce((a, b) => a + b, 0);
  console.error(`# importing ${total} codes`);
  for (const [prefix, count] of Object.entries(codes)) {
    for (let i = 0; i < count; i += 10_000) {
      await json(`${server.url}/v1/manager/batches/bench-cash/import`, {
        token: session.token,
        body: {
          codes: Array.from({ length: Math.min(10_000, count - i) }, (_, k) =>
            codeName(prefix, i + k),
          ),
          claimedAt: null,
        },
      });
    }
  }
  const till = await json<{ token: string; terminalId: string; store: { id: string } }>(
    `${server.url}/v1/terminals/pair`,
    { body: { pairingCode: pairing.code, name: 'bench till' } },
  );
  return {
    url: server.url,
    token: till.token,
    terminalId: till.terminalId,
    storeId: till.store.id,
  };
}

/** One autocannon run, with every response time kept (autocannon's result only has its own run's percentiles). */
export interface Run {
  readonly result: autocannon.Result;
  readonly latenciesMs: readonly number[];
}

/** Problems that make a run's figures untrustworthy; the bench exits non-zero if there are any. */
export const problems: string[] = [];

function checkRun(name: string, result: autocannon.Result): void {
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0)
    problems.push(
      `${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors (${result.timeouts} timeouts)`,
    );
}

function load(name: string, options: autocannon.Options): Promise<Run> {
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, result) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else {
        checkRun(name, result);
        resolve({ result, latenciesMs });
      }
    });
    instance.on('response', (_client, _status, _bytes, ms) => latenciesMs.push(ms));
  });
}

/** GET /healthz: what the server does per request with no work behind it. */
export function trivialRun(url: string, durationS: number): Promise<Run> {
  return load('trivial', { url: `${url}/healthz`, connections: CONNECTIONS, duration: durationS });
}

/** Hands out the codes of one prefix in order, so every redemption is of a fresh code. */
export class FreshCodes {
  private next = 0;
  accepted = 0;
  refused = 0;
  constructor(
    private readonly prefix: string,
    private readonly count: number,
  ) {}
  take(): string {
    const i = this.next++;
    if (i === this.count) problems.push(`redeem: ran out of fresh ${this.prefix} codes`);
    return codeName(this.prefix, i % this.count);
  }
}

/** POST /v1/redemptions at CONNECTIONS clients, each on a fresh code: every 200 must be an acceptance. */
export function redeemRun(till: Till, codes: FreshCodes, durationS: number): Promise<Run> {
  return load('redeem', {
    url: till.url,
    connections: CONNECTIONS,
    duration: durationS,
    requests: [
      {
        method: 'POST',
        path: '/v1/redemptions',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${till.token}` },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            id: uuidv7(),
            code: codes.take(),
            storeId: till.storeId,
            terminalId: till.terminalId,
            at: new Date().toISOString(),
            cart: null,
            offline: null,
          }),
        }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"status":"accepted"')) codes.accepted += 1;
          else codes.refused += 1;
        },
      },
    ],
  });
}

export interface PushResult {
  /** Items sent (a multiple of the chunk size). */
  readonly sent: number;
  readonly accepted: number;
  readonly seconds: number;
  /** True when the time limit stopped the push before every item was sent. */
  readonly capped: boolean;
}

/**
 * Pushes `total` redemptions of the `prefix` codes in chunks of 500, one
 * chunk after another as the till's drainer does; stops starting chunks once
 * `limitS` has passed.
 */
export async function batchPush(
  till: Till,
  prefix: string,
  total: number,
  limitS: number,
): Promise<PushResult> {
  const CHUNK = 500;
  const started = performance.now();
  let sent = 0;
  let accepted = 0;
  while (sent < total && performance.now() - started < limitS * 1000) {
    const items = Array.from({ length: Math.min(CHUNK, total - sent) }, (_, k) => ({
      id: uuidv7(),
      code: codeName(prefix, sent + k),
      storeId: till.storeId,
      terminalId: till.terminalId,
      at: new Date().toISOString(),
      cart: null,
      offline: null,
    }));
    const out = await json<{ outcomes: { outcome: { status: string } }[] }>(
      `${till.url}/v1/redemptions/batch`,
      { token: till.token, body: { items } },
    );
    sent += items.length;
    accepted += out.outcomes.filter((o) => o.outcome.status === 'accepted').length;
  }
  if (accepted !== sent)
    problems.push(`batch: only ${accepted} of ${sent} pushed redemptions were accepted`);
  return { sent, accepted, seconds: (performance.now() - started) / 1000, capped: sent < total };
}
