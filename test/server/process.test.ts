import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PairResponse, RedemptionResponse } from '../../core/protocol';
import type { DemoFile } from '../../server/seed/demo';
import { call } from '../helpers/server-client';
import { spawnServer } from '../helpers/server-process';

describe('the server as a process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds the demo, prints one LISTENING line, survives a restart and stops on SIGTERM', async () => {
    const first = await spawnServer([
      '--demo',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--host',
      '127.0.0.1',
    ]);
    expect(first.stdout).toEqual([`TILLPOINT_SERVER_LISTENING ${first.url}`]);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoFile;
    // Every kind, and the gold members' own cash voucher.
    expect(demo.batches.map((b) => b.kind).sort()).toEqual([
      'cash',
      'cash',
      'discount',
      'general',
      'gift',
      'group_buy',
      'threshold',
    ]);
    expect(new Set(demo.pairingCodes.map((p) => p.storeId)).size).toBe(4);
    expect(Object.values(demo.codes).flat().length).toBeGreaterThanOrEqual(300);
    expect(demo.products.every((p) => /^\d{13}$/.test(p.barcode))).toBe(true);

    const pairing = demo.pairingCodes[0];
    const pair = await call<PairResponse>(first.url, 'POST', '/v1/terminals/pair', {
      body: { pairingCode: pairing?.code, name: 'till 1' },
    });
    expect(pair.status).toBe(200);
    const code = demo.codes['demo-cash']?.[0] ?? '';
    const req = {
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
      code,
      storeId: pair.json.store.id,
      terminalId: pair.json.terminalId,
      at: new Date().toISOString(),
      cart: null,
      offline: null,
    };
    const redeemed = await call<RedemptionResponse>(first.url, 'POST', '/v1/redemptions', {
      token: pair.json.token,
      body: req,
    });
    expect(redeemed.json.outcome.status).toBe('accepted');
    expect(await first.stop()).toBe(0);

    const second = await spawnServer(['--demo', '--port', '0', '--data-dir', dataDir]);
    const again = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoFile;
    expect(again).toEqual(demo); // not reseeded
    const replay = await call(second.url, 'POST', '/v1/redemptions', {
      token: pair.json.token,
      body: req,
    });
    expect(replay.text).toBe(redeemed.text);
    expect(await second.stop()).toBe(0);
  });
});
