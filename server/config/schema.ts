import { z } from 'zod';

/**
 * Below this many MB free on the SQLite store's disk the server is not ready: SQLite needs room
 * for its WAL and a checkpoint, and a write that fails for space is a redemption a till must
 * hold on to. Better the load balancer and the on-call engineer hear of it first.
 */
export const DEFAULT_MIN_FREE_MB = 64;

/** Records are never pruned younger than this many days (issue 12 "Retention"). */
export const MIN_RETENTION_DAYS = 180;

/**
 * Every setting of the sync server, as the config file spells it (YAML,
 * server/config/load.ts). Unknown keys are refused: a misspelt key would
 * otherwise leave its setting at the default without a word.
 */
export const ServerConfig = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65_535).default(8787),
        /** Holds the SQLite store (unless database.url is set), demo.json and server.pid. */
        dataDir: z.string().min(1).default('.data/server'),
        /** Seed the demo chain when the database is empty. */
        demo: z.boolean().default(false),
        /** The renderer's build holding the manager console; by default dist/renderer beside the server. */
        consoleDir: z.string().min(1).optional(),
        /**
         * The load balancers (addresses or CIDR ranges) whose X-Forwarded-For is believed. A
         * request from one of them counts against the per-address limits (logins, pairing,
         * claims) and the metrics loopback rule as the address it forwards for; everyone else's
         * header is ignored. Empty (the default): the socket's address, as with no proxy.
         * The environment variable takes a comma-separated list.
         */
        trustProxy: z
          .preprocess(
            (v) =>
              typeof v === 'string'
                ? v
                    .split(',')
                    .map((a) => a.trim())
                    .filter(Boolean)
                : v,
            z.array(
              z.string().regex(/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/, 'an IP address or CIDR range'),
            ),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
    database: z
      .object({
        /** postgres://… selects PostgreSQL; a secret (it may carry a password). */
        url: z.string().startsWith('postgres').optional(),
        sqliteSynchronous: z.enum(['FULL', 'NORMAL']).default('FULL'),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
      })
      .strict()
      .prefault({}),
    backup: z
      .object({
        /** A folder on another disk; without it the server takes no backups. */
        dir: z.string().min(1).optional(),
        /** 0: on demand only. */
        everyHours: z.coerce.number().min(0).default(24),
        keep: z.coerce.number().int().min(1).default(7),
      })
      .strict()
      .prefault({}),
    disk: z
      .object({
        /**
         * Below this many MB free on the disk holding the SQLite store, /readyz answers 503
         * and the server logs a warning once (server/ops/disk-watch.ts).
         */
        minFreeMb: z.coerce.number().int().min(1).default(DEFAULT_MIN_FREE_MB),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        /**
         * Claim, redemption, sale and audit records are kept at least this many days; older
         * claim logs, payment notifications and audit entries are pruned (server/ops/prune.ts).
         * Never below 180: the records a chain must be able to show for half a year.
         */
        days: z.coerce
          .number()
          .int()
          .min(MIN_RETENTION_DAYS, {
            message: `must be at least ${MIN_RETENTION_DAYS} days: records are kept at least ${MIN_RETENTION_DAYS} days`,
          })
          .default(MIN_RETENTION_DAYS),
      })
      .strict()
      .prefault({}),
    approvals: z
      .object({
        /** Payments and refunds above this many fen need a manager's approval (default ¥5,000). */
        limitFen: z.coerce.number().int().min(0).default(500_000),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        /** GET /metrics also answers "Authorization: Bearer <token>" from other hosts; a secret. */
        token: z.string().min(16).optional(),
        /**
         * Answer loopback callers without the token. Turn off when a reverse proxy on the same
         * host forwards outside requests (they would all arrive from loopback).
         */
        loopback: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    wechatpay: z
      .object({
        /** The WeChat Pay JSON file (server/payments/README.md); the WECHATPAY_* variables otherwise. */
        configFile: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type ServerConfig = z.infer<typeof ServerConfig>;

/** Settings whose values never appear in --print-config or a log line. */
export const SECRET_SETTINGS: readonly (readonly [string, string])[] = [
  ['database', 'url'],
  ['metrics', 'token'],
];
