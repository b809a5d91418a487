import type { IpcMainInvokeEvent } from 'electron';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGS_CHANNEL } from '../core/desktop/logs';
import { LogsResult } from '../core/desktop/logs-schema';
import { serveLogsOverIpc } from './log-ipc';
import { openLog } from './logs';
import { deviceCallVerdict, WindowRoles } from './window-roles';

const APP = 'app://tillpoint/index.html';
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

/** Main's wiring with a recording ipcMain (a registry of channel handlers), as main.ts does it. */
async function serve(): Promise<{ call: Handler; handlers: Map<string, Handler>; stop(): void }> {
  const dir = await mkdtemp(join(tmpdir(), 'tillpoint-log-ipc-'));
  dirs.push(dir);
  const { log, close } = await openLog(dir);
  log.warn({ verdict: 'not-cashier' }, 'device call refused');
  await close();
  const roles = new WindowRoles();
  roles.set(1, 'cashier');
  roles.set(2, 'customer');
  const handlers = new Map<string, Handler>();
  const stop = serveLogsOverIpc({
    ipcMain: {
      handle: (channel, fn) => void handlers.set(channel, fn as Handler),
      removeHandler: (channel) => void handlers.delete(channel),
    },
    dir,
    isTrusted: (event) =>
      deviceCallVerdict(
        { webContentsId: event.sender.id, frameUrl: event.senderFrame?.url },
        roles,
        APP,
      ) === 'allow',
  });
  const handler = handlers.get(LOGS_CHANNEL);
  if (handler === undefined) throw new Error(`no handler on ${LOGS_CHANNEL}`);
  return { call: handler, handlers, stop };
}

const from = (webContentsId: number, url: string): IpcMainInvokeEvent =>
  ({ sender: { id: webContentsId }, senderFrame: { url } }) as unknown as IpcMainInvokeEvent;

describe('the logs call over IPC', () => {
  it('gives the cashier window the tails of the log files, in the contract shape', async () => {
    const { call } = await serve();
    const answer = await call(from(1, `${APP}#/devices`), {});
    expect(LogsResult.safeParse(answer).success).toBe(true);
    expect(answer).toMatchObject({
      ok: true,
      value: [{ file: 'tillpoint.1.log', truncated: false }],
    });
    expect(JSON.stringify(answer)).toContain('device call refused');
  });

  it('refuses the customer display, a window main did not open, and a page off the app', async () => {
    const { call } = await serve();
    for (const event of [
      from(2, `${APP}?role=customer`),
      from(9, APP),
      from(1, 'https://evil.example/'),
    ]) {
      const answer = await call(event, {});
      expect(answer).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      expect(JSON.stringify(answer)).not.toContain('device call refused');
    }
  });

  it('refuses parameters the contract does not have', async () => {
    const { call } = await serve();
    expect(await call(from(1, APP), { maxBytes: 1e12 })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(await call(from(1, APP), undefined)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });

  it('removes its handler when stopped', async () => {
    const { handlers, stop } = await serve();
    stop();
    expect(handlers.size).toBe(0);
  });
});
