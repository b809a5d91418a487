import type { FastifyInstance } from 'fastify';
import { isTokenShaped, ROUTES, type ServerEvent } from '../../core/protocol';
import { terminalFromToken } from '../auth/actors';
import type { AppContext } from '../context';
import { feedHead } from '../feed/changes';
import { encodeCursor } from '../feed/cursor';
import type { NudgeHub } from '../feed/nudges';

/** Close codes in the private range: 4401 = the token was refused. */
const CLOSE_UNAUTHENTICATED = 4401;

/**
 * ROUTES.events, the one WebSocket: the terminal token comes as ?token=
 * (browsers cannot set headers on a WebSocket), so it is checked here, with
 * the same look-up as every terminal route, and refused with close code 4401
 * rather than an HTTP status the browser would not show the page.
 */
export function registerEvents(app: FastifyInstance, ctx: AppContext, hub: NudgeHub): void {
  const def = ROUTES.events;
  app.get(def.path, { websocket: true }, (socket, request) => {
    let remove: (() => void) | null = null;
    socket.on('close', () => remove?.());
    socket.on('error', () => remove?.());
    socket.on('message', () => {
      // Terminals have nothing to say on this channel; ignore it.
    });
    void (async () => {
      try {
        const query = def.query.safeParse(request.query);
        if (!query.success || !isTokenShaped(query.data.token)) throw new Error('no token');
        await terminalFromToken(
          { db: ctx.storage.reader, cache: ctx.terminals },
          query.data.token,
          null,
          () => ctx.now(),
        );
      } catch {
        socket.close(CLOSE_UNAUTHENTICATED, 'terminal token refused; pair again');
        return;
      }
      if (socket.readyState !== socket.OPEN) return;
      remove = hub.add(socket);
      const hello: ServerEvent = {
        type: 'hello',
        cursor: encodeCursor(await feedHead(ctx.storage.db), ctx.feedEpoch),
      };
      socket.send(JSON.stringify(hello));
    })().catch((e: unknown) => {
      request.log.error({ err: e }, 'event stream failed');
      socket.close(1011, 'server error');
    });
  });
}
