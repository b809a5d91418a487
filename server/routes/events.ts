import type { FastifyInstance } from 'fastify';
import type { ServerEvent } from '../../core/protocol';
import { terminalFromToken } from '../auth/actors';
import type { AppContext } from '../context';
import { feedHead } from '../feed/changes';
import { encodeCursor } from '../feed/cursor';
import type { NudgeHub } from '../feed/nudges';

/** Close codes in the private range: 4401 = the token was refused. */
const CLOSE_UNAUTHENTICATED = 4401;

/**
 * GET /v1/events?token=… (browsers cannot set headers on a WebSocket):
 * {type:'hello', cursor} on connect, {type:'changes', cursor} when the feed moves.
 */
export function registerEvents(app: FastifyInstance, ctx: AppContext, hub: NudgeHub): void {
  app.get('/v1/events', { websocket: true }, (socket, request) => {
    let remove: (() => void) | null = null;
    socket.on('close', () => remove?.());
    socket.on('error', () => remove?.());
    socket.on('message', () => {
      // Terminals have nothing to say on this channel; ignore it.
    });
    const token = (request.query as { token?: unknown }).token;
    void (async () => {
      try {
        if (typeof token !== 'string' || token === '') throw new Error('no token');
        await terminalFromToken(ctx.storage.db, token, request, ctx.now());
      } catch {
        socket.close(CLOSE_UNAUTHENTICATED, 'terminal token refused; pair again');
        return;
      }
      if (socket.readyState !== socket.OPEN) return;
      remove = hub.add(socket);
      const hello: ServerEvent = {
        type: 'hello',
        cursor: encodeCursor(await feedHead(ctx.storage.db)),
      };
      socket.send(JSON.stringify(hello));
    })().catch((e: unknown) => {
      request.log.error({ err: e }, 'event stream failed');
      socket.close(1011, 'server error');
    });
  });
}
