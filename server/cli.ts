/**
 * `npx tsx server/cli.ts [--demo] [--port N] [--host H] [--data-dir DIR] [--wechatpay-config FILE]
 *    [--backup-dir DIR] [--backup-every-hours H] [--backup-keep N] [--approval-limit-fen N]
 *    [--console-dir DIR]` — or one YAML file (--config FILE, docs/configuration.md)
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
import { stringify } from 'yaml';
import { startServer } from './app';
import { readCommand } from './config/args';
import { ConfigError, printable } from './config/load';
import { createLogger } from './log';
import { backupCommand, restoreCommand } from './ops/commands';
import { paymentsFromEnvironment } from './payments/from-environment';
import { SHUTDOWN_GRACE_MS } from './shutdown';

/** Past this, a stop that has not finished exits 1 (close() itself cuts requests at SHUTDOWN_GRACE_MS). */
const HARD_STOP_MS = SHUTDOWN_GRACE_MS + 1_500;

const USAGE =
  'usage: tsx server/cli.ts [--config FILE] [--print-config] [--demo] [--port N] [--host 127.0.0.1] [--data-dir DIR] [--wechatpay-config FILE] [--backup-dir DIR] [--backup-every-hours H] [--backup-keep N] [--approval-limit-fen N] [--retention-days N] [--console-dir DIR]';

async function main(): Promise<void> {
  const command = readCommand(process.argv.slice(2), process.env);
  if (command.help) {
    console.error(USAGE);
    return;
  }
  if (command.positionals.length > 0)
    throw new ConfigError(`unexpected ${command.positionals.join(' ')}. ${USAGE}`);
  const config = command.config;
  if (command.printConfig) {
    process.stdout.write(stringify(printable(config)));
    return;
  }
  const logger = createLogger(config.log.level);
  const payments = paymentsFromEnvironment(
    process.env,
    config.wechatpay.configFile,
    logger.child({ component: 'wechatpay' }),
  );
  if (payments === undefined) logger.warn('WeChat Pay is not configured: payments answer 503');
  const server = await startServer({
    dataDir: resolve(config.server.dataDir),
    databaseUrl: config.database.url,
    port: config.server.port,
    host: config.server.host,
    trustProxy: config.server.trustProxy,
    demo: config.server.demo,
    sqliteSynchronous: config.database.sqliteSynchronous,
    logger,
    backup:
      config.backup.dir === undefined
        ? undefined
        : { ...config.backup, dir: resolve(config.backup.dir) },
    ...(payments === undefined ? {} : { payments }),
    approvalLimitFen: config.approvals.limitFen,
    retentionDays: config.retention.days,
    diskMinFreeMb: config.disk.minFreeMb,
    metrics: { token: config.metrics.token ?? null, loopback: config.metrics.loopback },
    consoleDir:
      config.server.consoleDir === undefined ? builtConsole() : resolve(config.server.consoleDir),
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
  // A wrong setting or flag is a usage error (2), as before the config file.
  process.exit(e instanceof ConfigError || e instanceof TypeError ? 2 : 1);
});
