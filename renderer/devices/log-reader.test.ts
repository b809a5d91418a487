import { describe, expect, it } from 'vitest';
import type { LogsBridge } from '../../core/desktop/logs';
import { logReader } from './log-reader';

/** What the preload's bridge answers, as main's handler would (or would not). */
const bridge = (answer: () => Promise<unknown>): LogsBridge =>
  ({ readLogs: answer }) as unknown as LogsBridge;

describe('the renderer side of the logs call', () => {
  it('is absent in a browser, which has no bridge', () => {
    expect(logReader(undefined)).toBeNull();
  });

  it('passes a well-formed answer through, success or refusal', async () => {
    const tails = [
      {
        file: 'tillpoint.1.log',
        size: 10,
        modifiedAt: '2026-12-03T07:00:00.000Z',
        text: '{"msg":"x"}\n',
        truncated: false,
      },
    ];
    expect(await logReader(bridge(async () => ({ ok: true, value: tails })))?.read()).toEqual({
      ok: true,
      value: tails,
    });
    const refused = { ok: false, code: 'UNAUTHENTICATED', message: 'cashier window only' };
    expect(await logReader(bridge(async () => refused))?.read()).toEqual(refused);
  });

  it('turns a malformed answer or a failed call into a value', async () => {
    expect(
      await logReader(bridge(async () => ({ ok: true, value: [{ file: 1 }] })))?.read(),
    ).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(
      await logReader(
        bridge(() => Promise.reject(new Error('No handler registered for tillpoint:logs:read'))),
      )?.read(),
    ).toMatchObject({
      ok: false,
      code: 'INTERNAL',
      message: expect.stringContaining('No handler'),
    });
  });
});
