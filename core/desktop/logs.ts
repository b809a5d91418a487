/**
 * The logs contract: the cashier window asks main for the tails of the app's log files (Devices
 * screen, Logs panel). Zod-free, for the preload; the schema that checks it is in logs-schema.ts.
 */
import type { Result } from '../result';

/** The IPC channel of the one logs call. */
export const LOGS_CHANNEL = 'tillpoint:logs:read';

/** The preload's bridge, exposed as `window[LOGS_BRIDGE_KEY]` in the cashier window only. */
export const LOGS_BRIDGE_KEY = 'tillpointLogs';

/** The end of one log file, cut at a line boundary. */
export interface LogTail {
  /** The file's name in the log directory, e.g. tillpoint.3.log. */
  readonly file: string;
  /** The whole file's size in bytes. */
  readonly size: number;
  /** When the file was last written, ISO 8601. */
  readonly modifiedAt: string;
  /** Whole lines from the end of the file, at most the byte budget main reads per file. */
  readonly text: string;
  /** Whether lines before `text` were left out. */
  readonly truncated: boolean;
}

export type LogsErrorCode = 'UNAUTHENTICATED' | 'BAD_REQUEST' | 'INTERNAL';
/** The newest file first. */
export type LogsResult = Result<readonly LogTail[], LogsErrorCode>;

/** The call takes no parameters: main decides which files and how much of each. */
export type ReadLogsInput = Record<string, never>;

export interface LogsBridge {
  readLogs(input: ReadLogsInput): Promise<LogsResult>;
}
