import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { LOGS_CHANNEL, type LogsResult } from '../core/desktop/logs';
import { ReadLogsInput } from '../core/desktop/logs-schema';
import { err, ok } from '../core/result';
import { readLogTails } from './log-files';

/**
 * How much of each log file the Devices screen gets: enough for the last few hundred lines of
 * each of the six files pino-roll keeps (electron/logs.ts), about 400 KB over IPC at most.
 */
export const LOG_TAIL_BYTES = 64 * 1024;

/**
 * Serves the logs call over Electron IPC: the sender must be trusted (main passes the cashier
 * window check, electron/window-roles.ts), the input must be the contract's empty object, and
 * every failure is a value. Returns the function that removes the handler.
 */
export function serveLogsOverIpc(options: {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dir: string;
  isTrusted: (event: IpcMainInvokeEvent) => boolean;
  maxBytes?: number;
}): () => void {
  const { ipcMain, dir, maxBytes = LOG_TAIL_BYTES } = options;
  ipcMain.handle(LOGS_CHANNEL, async (event, input: unknown): Promise<LogsResult> => {
    if (!options.isTrusted(event))
      return err('UNAUTHENTICATED', 'Logs are only shown in the Tillpoint cashier window.');
    const parsed = ReadLogsInput.safeParse(input);
    if (!parsed.success) return err('BAD_REQUEST', 'The logs call takes no parameters.');
    try {
      return ok(await readLogTails(dir, maxBytes));
    } catch (error) {
      return err('INTERNAL', `Could not read the log files: ${(error as Error).message}`);
    }
  });
  return () => ipcMain.removeHandler(LOGS_CHANNEL);
}
