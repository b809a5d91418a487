/**
 * `npx tsx server/cli.ts [--demo] [--port N] [--host H] [--data-dir DIR] [--wechatpay-config FILE]
 *    [--approval-limit-fen N] [--backup-dir DIR] [--backup-every-hours H] [--backup-keep N]
 *    [--console-dir DIR]`
 * (--approval-limit-fen or TILLPOINT_APPROVAL_LIMIT_FEN, default 500000: payments and refunds above
 * it need a manager's approval)
 * `npx tsx server/cli.ts backup …` and `… restore FILE …`: server/ops/commands.ts.
 * Starts the sync server; DATABASE_URL=postgres://… selects PostgreSQL. WeChat Pay comes from
 * the JSON file (or WECHATPAY_CONFIG_FILE), else the WECHATPAY_* variables
 * (server/payments/README.md); without either, payments answer 503.
 * Prints exactly one line on stdout once listening:
 *   TILLPOINT_SERVER_LISTENING <url>
 * SIGTERM/SIGINT: WebSocket clients are told to reconnect (1012), in-flight
 * requests finish (or are cut after SHUTDOWN_GRACE_MS), the database closes,
 * exit 0; under 5 s in all.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './app';
import { DEFAULT_APPROVAL_LIMIT_FEN } from './auth/approval';
import { createLogger } from './log';
import { backupCommand, restoreCommand } from './ops/commands';
import { paymentsFromEnvironment } from './payments/from-environment';
import { SHUTDOWN_GRACE_MS } from './shutdown';

/** Past this, a stop that has not finished exits 1 (close() itself cuts requests at SHUTDOWN_GRACE_MS). */
const HARD_STOP_MS = SHUTDOWN_GRACE_MS + 1_500;

const USAGE =
  'usage: tsx server/cli.ts [--demo] [--port N] [--host 127.0.0.1] [--data-dir DIR] [--wechatpay-config FILE] [--approval-limit-fen N] [--console-dir DIR]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      port: { type: 'string', default: process.env['PORT'] ?? '8787' },
      host: { type: 'string', default: process.env['HOST'] ?? '127.0.0.1' },
      'data-dir': { type: 'string', default: process.env['TILLPOINT_DATA_DIR'] ?? '.data/server' },
      'wechatpay-config': { type: 'string' },
      'approval-limit-fen': {
        type: 'string',
        default: process.env['TILLPOINT_APPROVAL_LIMIT_FEN'] ?? String(DEFAULT_APPROVAL_LIMIT_FEN),
      },
      'backup-dir': { type: 'string', default: process.env['TILLPOINT_BACKUP_DIR'] },
      'backup-every-hours': {
        type: 'string',
        default: process.env['TILLPOINT_BACKUP_EVERY_HOURS'] ?? '24',
      },
      'backup-keep': { type: 'string', default: process.env['TILLPOINT_BACKUP_KEEP'] ?? '7' },
      'console-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.error(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port must be a number from 0 to 65535, not "${values.port}". ${USAGE}`);
    process.exit(2);
  }
  const approvalLimitFen = Number(values['approval-limit-fen']);
  if (!Number.isSafeInteger(approvalLimitFen) || approvalLimitFen < 0) {
    console.error(
      `--approval-limit-fen (TILLPOINT_APPROVAL_LIMIT_FEN) must be a whole number of fen, not "${values['approval-limit-fen']}". ${USAGE}`,
    );
    process.exit(2);
  }
  const everyHours = Number(values['backup-every-hours']);
  const keep = Number(values['backup-keep']);
  if (!(everyHours >= 0) || !Number.isInteger(keep) || keep < 1) {
    console.error(
      `--backup-every-hours must be a number from 0 and --backup-keep a whole number from 1. ${USAGE}`,
    );
    process.exit(2);
  }
  const backupDir = values['backup-dir'];
  const logger = createLogger();
  const payments = paymentsFromEnvironment(
    process.env,
    values['wechatpay-config'],
    logger.child({ component: 'wechatpay' }),
  );
  if (payments === undefined) logger.warn('WeChat Pay is not configured: payments answer 503');
  const server = await startServer({
    dataDir: resolve(values['data-dir']),
    databaseUrl: process.env['DATABASE_URL'] || undefined,
    port,
    host: values.host,
    demo: values.demo,
    logger,
    approvalLimitFen,
    backup: backupDir === undefined ? undefined : { dir: resolve(backupDir), everyHours, keep },
    ...(payments === undefined ? {} : { payments }),
    consoleDir: values['console-dir'] ? resolve(values['console-dir']) : builtConsole(),
  });
  process.stdout.write(`TILLPOINT_SERVER_LISTENING ${server.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // close() cuts connections after its grace period; this catches what it
    // cannot bound (a database that stops answering while the pool drains).
    setTimeout(() => {
      logger.error({ afterMs: HARD_STOP_MS }, 'shutdown did not finish; exiting anyway');
      logger.flush();
      process.exit(1);
    }, HARD_STOP_MS).unref();
    server.close().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The renderer's build beside this file: dist/renderer from server/cli.ts under tsx, and from
 * the bundled dist/server/cli.js; null when neither holds the console.
 */
function builtConsole(): string | null {
  const here = import.meta.dirname;
  const candidates = [join(here, '..', 'dist', 'renderer'), join(here, '..', 'renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'manager', 'index.html'))) ?? null;
}

const command = process.argv[2];
const run =
  command === 'backup' || command === 'restore'
    ? (command === 'backup' ? backupCommand : restoreCommand)(
        process.argv.slice(3),
        process.env,
      ).then((code) => process.exit(code))
    : main();
run.catch((e: unknown) => {
  console.error(`tillpoint server failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
