import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { HttpError } from '../http/errors';
import { registerRoute } from '../http/route';
import { registry } from '../ops/metrics';
import { metricsAllowed, type MetricsAccess } from '../ops/metrics-access';

/** GET /metrics for Prometheus: loopback callers, or the metrics token (ops/metrics-access.ts). */
export function registerMetrics(
  app: FastifyInstance,
  ctx: AppContext,
  access: MetricsAccess,
): void {
  registerRoute(
    app,
    ctx,
    ROUTES.metrics,
    async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
    {
      guard: async (request) => {
        if (!metricsAllowed(access, request.ip, request.headers.authorization))
          throw new HttpError(
            401,
            'UNAUTHENTICATED',
            access.token === null
              ? 'Metrics are served to loopback callers only; set metrics.token to scrape from another host.'
              : 'Send the metrics token (config metrics.token) as "Authorization: Bearer <token>".',
          );
      },
    },
  );
}
