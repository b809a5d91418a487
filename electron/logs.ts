import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { LOG_EXTENSION, LOG_NAME } from './log-files';

/** How big a log file grows before the next one starts, and how many old ones are kept. */
export interface LogRolling {
  readonly size: string;
  readonly keep: number;
}
const FIELD_ROLLING: LogRolling = { size: '5m', keep: 5 };

/**
 * The app's log in the field: pino JSON lines in `dir` (userData/logs), rolled by size
 * (tillpoint.1.log, tillpoint.2.log, …; the oldest deleted). Writes are asynchronous (the roll
 * happens between them) and close() waits for them, so the lines before an exit are on disk. Main logs here and forwards the bundled server's output here.
 */
export async function openLog(
  dir: string,
  rolling: LogRolling = FIELD_ROLLING,
): Promise<{ log: Logger; close(): Promise<void> }> {
  const stream = await pinoRoll({
    file: join(dir, LOG_NAME),
    extension: LOG_EXTENSION,
    size: rolling.size,
    limit: { count: rolling.keep },
    mkdir: true,
  });
  const log = pino({ base: { process: 'main' }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  return {
    log,
    // end() writes what is buffered, then closes the file.
    close: () =>
      new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.end();
      }),
  };
}
