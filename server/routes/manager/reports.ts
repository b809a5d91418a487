import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { toCsv } from '../../../core/reports/table';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import { registerRoute } from '../../http/route';
import {
  batchReport,
  hoursReport,
  reportTable,
  salesReport,
  storeDayReport,
} from '../../reports/answers';
import { alertsAsOf, chainToday, dashboard, setThresholds, thresholds } from '../../reports/alerts';
import { reviewScope } from '../../review/scope';

/** Reports, alerts and the dashboard: reads of the aggregates, a store manager held to their store. */
export function registerManagerReports(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.storage.db;
  registerRoute(app, ctx, ROUTES.batchReport, async ({ actor, params, query }) =>
    batchReport(db, params.id, query, reviewScope(actor, query.storeId), await thresholds(db)),
  );
  registerRoute(app, ctx, ROUTES.storeDayReport, ({ actor, query }) =>
    storeDayReport(db, query, reviewScope(actor, query.storeId)),
  );
  registerRoute(app, ctx, ROUTES.salesReport, ({ actor, query }) =>
    salesReport(db, query, reviewScope(actor, query.storeId)),
  );
  registerRoute(app, ctx, ROUTES.hoursReport, ({ actor, query }) =>
    hoursReport(db, query, reviewScope(actor, query.storeId)),
  );
  registerRoute(app, ctx, ROUTES.reportCsv, async ({ actor, params, query }) => {
    const { locale, ...filters } = query;
    if (filters.from > filters.to)
      throw new HttpError(400, 'BAD_REQUEST', 'from must not be after to.');
    const scope = reviewScope(actor, filters.storeId);
    const table = await reportTable(db, params.table, filters, scope, await thresholds(db));
    if (table === null)
      throw new HttpError(400, 'BAD_REQUEST', `The ${params.table} table needs a batchId.`);
    return {
      filename: `${params.table}-${filters.from}-${filters.to}.csv`,
      lines: [toCsv(table, locale)],
    };
  });
  registerRoute(app, ctx, ROUTES.alerts, ({ actor, query, now }) =>
    alertsAsOf(db, query.date ?? chainToday(now), reviewScope(actor, undefined)),
  );
  registerRoute(app, ctx, ROUTES.setAlertThresholds, ({ body }) =>
    ctx.storage.write((w) => setThresholds(w, body)),
  );
  registerRoute(app, ctx, ROUTES.dashboard, ({ actor, now }) =>
    dashboard(db, now, reviewScope(actor, undefined)),
  );
}
