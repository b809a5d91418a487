import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fastifyWebsocket from '@fastify/websocket';
import { maskPhonesIn } from '../core/members';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { DEFAULT_APPROVAL_LIMIT_FEN } from './auth/approval';
import { loadServerKeys } from './auth/keys';
import { TerminalCache } from './auth/terminal-cache';
import { DEFAULT_MIN_FREE_MB, MIN_RETENTION_DAYS } from './config/schema';
import { DEFAULT_RATE_LIMITS, type AppContext, type RateLimits } from './context';
import { openDatabase, SQLITE_FILE } from './db/connect';
import { createStorage } from './db/storage';
import { NudgeHub } from './feed/nudges';
import { serveConsole } from './http/console-static';
import { installCors } from './http/cors';
import { FRAMING_OPTIONS, frameworkErrors, installErrorHandler } from './http/errors';
import { installObjectBodies } from './http/object-bodies';
import { REQUEST_ID_HEADER, requestId } from './http/request-id';
import { BatchCache } from './ledger/batch-cache';
import { createLogger } from './log';
import { Backups, type ScheduledBackupSettings } from './ops/backup-schedule';
import { DiskWatch } from './ops/disk-watch';
import { readFeedEpoch } from './ops/feed-epoch';
import { httpRequests, httpSeconds, watchDatabase } from './ops/metrics';
import type { MetricsAccess } from './ops/metrics-access';
import { markRunning } from './ops/pid-file';
import { Pruner } from './ops/prune-schedule';
import { MB } from './ops/readiness';
import { registerBackups } from './routes/backups';
import { registerEvents } from './routes/events';
import { registerHealth } from './routes/health';
import { registerManagerAccess } from './routes/manager/access';
import { registerManagerBatches } from './routes/manager/batches';
import { registerManagerCatalog } from './routes/manager/catalog';
import { registerClaims } from './routes/claims';
import { registerManagerReports } from './routes/manager/reports';
import { registerManagerReview } from './routes/manager/review';
import { registerManagerTerminals } from './routes/manager/terminals';
import { registerManagerStaff } from './routes/manager/staff';
import { registerManagerMembers } from './routes/manager/members';
import { registerMetrics } from './routes/metrics';
import { DEFAULT_CODE_PAYMENT_TIMING } from './payments/code-payment';
import { FOLLOWED } from './payments/ledger/settle-step';
import { DEFAULT_RECONCILE, PaymentFollower } from './payments/reconcile';
import type { Payments, PaymentsOptions } from './payments/service';
import { registerPairing } from './routes/pairing';
import { registerPayments } from './routes/payments';
import { registerRedemptions } from './routes/redemptions';
import { registerRefunds } from './routes/refunds';
import { registerSales } from './routes/sales';
import { registerShifts } from './routes/shifts';
import { registerSessions } from './routes/sessions';
import { registerTerminalSync } from './routes/terminal-sync';
import { registerMembers } from './routes/members';
import { isEmpty, seedDemo } from './seed/demo';
import { closeGracefully, trackInFlight } from './shutdown';

export interface ServerOptions {
  /** Holds the SQLite file (unless databaseUrl is set) and demo.json. */
  readonly dataDir: string;
  /** postgres://… selects PostgreSQL instead of SQLite. */
  readonly databaseUrl?: string | undefined;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /**
   * The load balancers whose X-Forwarded-For gives request.ip (config server.trustProxy); by
   * default none: behind one, every till would share the proxy's per-address limits.
   */
  readonly trustProxy?: readonly string[];
  /** Seed the demo chain when the database is empty. */
  readonly demo?: boolean;
  /** A pino logger; defaults to JSON on stderr at info. */
  readonly logger?: Logger;
  readonly limits?: Partial<RateLimits>;
  /** The server clock (tests move it to expire leases and sessions). */
  readonly clock?: () => Date;
  readonly sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** WeChat Pay; without it the payment routes answer 503 UNAVAILABLE. */
  readonly payments?: PaymentsOptions;
  /** Payments and refunds above this need a manager's approval; default ¥5,000 (500000 fen). */
  readonly approvalLimitFen?: number;
  /** SQLite: where scheduled and on-demand backups go; without it there are none. */
  readonly backup?: ScheduledBackupSettings | undefined;
  /** The renderer's Vite build (dist/renderer) holding the manager console; null: no console. */
  readonly consoleDir?: string | null;
  /** Who may read GET /metrics; by default loopback callers only. */
  readonly metrics?: MetricsAccess;
  /** Records are kept this many days (at least 180, the default), then pruned (ops/prune.ts). */
  readonly retentionDays?: number;
  /** SQLite: below this many MB free on the data folder's disk, /readyz answers 503 (default 64). */
  readonly diskMinFreeMb?: number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:43121 */
  readonly url: string;
  /**
   * Stops accepting, asks WebSocket clients to reconnect later, lets in-flight
   * requests finish (for at most SHUTDOWN_GRACE_MS, then cuts them), then
   * releases the LISTEN client and closes the database.
   */
  close(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;

/** Opens the database (migrating it), seeds the demo if asked, and listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? (() => new Date());
  mkdirSync(options.dataDir, { recursive: true });
  const handle = await openDatabase({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    ...(options.sqliteSynchronous ? { sqliteSynchronous: options.sqliteSynchronous } : {}),
  });
  const storage = createStorage(handle);
  // A restore checks this mark to refuse replacing the store under a running server.
  const unmark = handle.dialect === 'sqlite' ? markRunning(options.dataDir) : () => undefined;
  const feedEpoch = await readFeedEpoch(storage.db).catch(async (e: unknown) => {
    await storage.close();
    unmark();
    throw e;
  });
  const hub = new NudgeHub(storage, feedEpoch);
  const backups =
    handle.dialect === 'sqlite' && options.backup
      ? new Backups(
          join(options.dataDir, SQLITE_FILE),
          options.backup,
          logger.child({ component: 'backup' }),
        )
      : null;
  const disk =
    handle.dialect === 'sqlite'
      ? new DiskWatch(
          options.dataDir,
          (options.diskMinFreeMb ?? DEFAULT_MIN_FREE_MB) * MB,
          logger.child({ component: 'disk' }),
        )
      : null;
  let unwatch: () => void = () => undefined;
  let pruner: Pruner | null = null;
  try {
    const keys = await loadServerKeys(storage);
    const ctx: AppContext = {
      storage,
      keys,
      batches: new BatchCache(),
      terminals: new TerminalCache(storage.authChanges),
      limits: { ...DEFAULT_RATE_LIMITS, ...options.limits },
      feedEpoch,
      disk,
      now: () => clock().toISOString(),
    };
    pruner = new Pruner(
      storage,
      { days: options.retentionDays ?? MIN_RETENTION_DAYS, everyHours: 24 },
      ctx.now,
      logger.child({ component: 'retention' }),
    );
    if (options.demo && (await isEmpty(storage))) {
      const demo = await seedDemo(storage, keys, options.dataDir, ctx.now);
      logger.info(
        { pairingCodes: demo.pairingCodes, cashiers: demo.cashiers, managers: demo.managers },
        `demo chain seeded; details in ${options.dataDir}/demo.json`,
      );
    }
    if (handle.pool) await hub.listen(handle.pool);
    unwatch = watchDatabase({ db: storage.db, pool: handle.pool, followed: FOLLOWED, disk });
    disk?.start();

    const app = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      // Per-request lines at thousands of redemptions a second cost more than they tell; 5xx are logged below.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: BODY_LIMIT,
      // Signed voucher codes run to about 130 characters (VoucherCode allows 160).
      routerOptions: { maxParamLength: 200 },
      frameworkErrors,
      ...FRAMING_OPTIONS,
      forceCloseConnections: 'idle',
      return503OnClosing: true,
      // genReqId reads and checks X-Request-Id itself.
      requestIdHeader: false,
      genReqId: requestId,
      // proxy-addr walks X-Forwarded-For from the right, past these only.
      ...(options.trustProxy?.length ? { trustProxy: [...options.trustProxy] } : {}),
    });
    installErrorHandler(app);
    installObjectBodies(app);
    await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
    installCors(app);
    // Each route's auth hook sets it (http/route-auth.ts); null on routes anyone may call.
    app.decorateRequest('actor', null);
    // The level is set once from the config; one line per request only when debugging.
    const debugging = logger.isLevelEnabled('debug');
    app.addHook('onRequest', async (request, reply) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
    });
    app.addHook('onResponse', async (request, reply) => {
      const status = reply.statusCode;
      // The route's pattern, never the URL: ids in paths would make a label per request.
      const route = request.routeOptions.url ?? '(unmatched)';
      httpRequests.inc({ method: request.method, route, status });
      httpSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
      if (status >= 500)
        request.log.warn(
          // Never a full phone number in a log line (GET /v1/members/lookup?phone=…).
          { method: request.method, url: maskPhonesIn(request.url), status },
          'request failed',
        );
      else if (debugging)
        request.log.debug(
          { method: request.method, route, status, ms: Math.round(reply.elapsedTime) },
          'request answered',
        );
    });
    registerHealth(app, ctx);
    registerMetrics(app, ctx, options.metrics ?? { token: null, loopback: true });
    registerPairing(app, ctx);
    registerSessions(app, ctx);
    registerRedemptions(app, ctx);
    const payments: Payments = {
      provider: null,
      follower: null,
      timing: { ...DEFAULT_CODE_PAYMENT_TIMING, ...options.payments?.codeTiming },
      approvalLimitFen: options.approvalLimitFen ?? DEFAULT_APPROVAL_LIMIT_FEN,
    };
    registerSales(app, ctx, payments);
    registerShifts(app, ctx);
    registerPayments(app, ctx, payments);
    registerRefunds(app, ctx, payments);
    registerTerminalSync(app, ctx);
    registerMembers(app, ctx);
    registerEvents(app, ctx, hub);
    registerManagerCatalog(app, ctx);
    registerManagerBatches(app, ctx);
    registerManagerAccess(app, ctx);
    registerManagerReview(app, ctx);
    registerManagerReports(app, ctx);
    registerClaims(app, ctx);
    registerManagerTerminals(app, ctx);
    registerManagerStaff(app, ctx);
    registerManagerMembers(app, ctx);
    registerBackups(app, ctx, backups);
    await serveConsole(app, options.consoleDir ?? null);

    const inFlight = trackInFlight(app.server);
    const address = await app.listen({
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
    });
    const provider = options.payments?.provider;
    payments.provider = typeof provider === 'function' ? provider(address) : (provider ?? null);
    if (payments.provider !== null) {
      payments.follower = new PaymentFollower({
        storage,
        provider: payments.provider,
        now: ctx.now,
        timing: payments.timing,
        options: { ...DEFAULT_RECONCILE, ...options.payments?.reconcile },
        log: logger,
      });
      // Reconciliation at start-up (payments left by a crash or a lost notification), then periodically.
      payments.follower.start();
    }
    backups?.start();
    // At start-up, then daily.
    const running = pruner;
    running.start();
    let closing: Promise<void> | null = null;
    return {
      url: address,
      close: () => {
        closing ??= (async () => {
          await closeGracefully(app, inFlight);
          // Payments being followed are released for the next instance (or this one's restart).
          await payments.follower?.stop();
          hub.close();
          await backups?.stop();
          await running.stop();
          disk?.stop();
          unwatch();
          await storage.close();
          unmark();
        })();
        return closing;
      },
    };
  } catch (e) {
    await pruner?.stop();
    disk?.stop();
    unwatch();
    hub.close();
    await storage.close();
    unmark();
    throw e;
  }
}
