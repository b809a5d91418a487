import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import { pairTerminal } from '../auth/pairing';
import type { AppContext } from '../context';
import { registerRoute } from '../http/route';

/** POST /v1/terminals/pair: trades a one-time pairing code for the terminal's own token. */
export function registerPairing(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.pair, ({ body, address, now }) =>
    pairTerminal(ctx, body, address, now),
  );
}
