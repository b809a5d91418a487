import { LOGS_BRIDGE_KEY, type LogsBridge, type LogTail } from '../../core/desktop/logs';
import { LogsResult } from '../../core/desktop/logs-schema';
import { err, type Result } from '../../core/result';

declare global {
  interface Window {
    /** Set by the Electron preload in the cashier window; absent in a plain browser. */
    readonly [LOGS_BRIDGE_KEY]?: LogsBridge;
  }
}

/** The app's log files as the Devices screen reads them: newest file first, failures as values. */
export interface LogReader {
  read(): Promise<Result<readonly LogTail[]>>;
}

/**
 * The log reader of this window: the preload's bridge, its answers checked with the contract's
 * schema; null in a browser, which has no log files of its own to show.
 */
export function logReader(
  bridge: LogsBridge | undefined = typeof window === 'undefined'
    ? undefined
    : window[LOGS_BRIDGE_KEY],
): LogReader | null {
  if (bridge === undefined) return null;
  return {
    async read() {
      let raw: unknown;
      try {
        raw = await bridge.readLogs({});
      } catch (error) {
        return err('INTERNAL', `The logs call failed: ${(error as Error).message}`);
      }
      const parsed = LogsResult.safeParse(raw);
      return parsed.success
        ? parsed.data
        : err('INTERNAL', 'The app answered the logs call with something unexpected.');
    },
  };
}
