import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { HttpError } from '../http/errors';
import { registerRoute } from '../http/route';
import type { Backups } from '../ops/backup-schedule';

/** A backup on demand from the manager console: the verified report, or why there is none. */
export function registerBackups(
  app: FastifyInstance,
  ctx: AppContext,
  backups: Backups | null,
): void {
  registerRoute(app, ctx, ROUTES.backup, () => {
    if (ctx.storage.dialect === 'postgres')
      throw new HttpError(
        409,
        'CONFLICT',
        'This server stores its ledger in PostgreSQL: back it up with pg_dump or point-in-time recovery (docs/postgresql-backups.md).',
      );
    if (backups === null)
      throw new HttpError(
        503,
        'UNAVAILABLE',
        'No backup folder is configured: set backup.dir in the config file (or TILLPOINT_BACKUP_DIR) and restart.',
      );
    return backups.now();
  });
}
