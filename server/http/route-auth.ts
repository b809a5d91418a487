import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { isTokenShaped, parseBearerHeader, type RouteAuth } from '../../core/protocol';
import {
  requireAnyManager,
  requireManager,
  terminalFromToken,
  userFromToken,
  type SessionActor,
  type TerminalActor,
  type UserActor,
} from '../auth/actors';
import { noteTerminalSeen } from '../auth/last-seen';
import { hashToken } from '../auth/secrets';
import type { AppContext } from '../context';
import { recordTillQueue } from '../ops/till-queues';
import { HttpError } from './errors';

export type Actor = TerminalActor | UserActor | SessionActor;

/** The actor a route's handler receives, by the route's auth kind. */
export type ActorFor<A extends RouteAuth> = A extends 'none'
  ? null
  : A extends 'terminal'
    ? TerminalActor
    : A extends 'session'
      ? SessionActor
      : UserActor;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route's authentication hook before the body is read or any handler runs. */
    actor: Actor | null;
  }
}

const TERMINAL_TOKEN = 'the terminal token from pairing';
const SESSION_TOKEN = 'the session token from logging in';

/** The one reading of the Authorization header (core/protocol/auth.ts says how it is spelled). */
function bearerOf(request: FastifyRequest, what: string): string {
  const token = parseBearerHeader(request.headers.authorization);
  if (token === null)
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      `Send ${what} as "Authorization: Bearer <token>", spelled exactly so (one space, the token as it was given).`,
    );
  return token;
}

function cashierSessionOf(request: FastifyRequest): string | null {
  const header = request.headers['x-cashier-session'];
  if (header === undefined || header === '') return null;
  if (typeof header !== 'string' || !isTokenShaped(header))
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      'The X-Cashier-Session header is not a session token; send the token from the PIN login, or leave the header out.',
    );
  return header;
}

/**
 * The onRequest hook of a route: authenticates by the route's auth kind and
 * puts the actor on the request, so nothing of the route runs for a caller
 * that is not allowed. The look-ups go to the storage's Reader: they never
 * wait behind a write group.
 */
export function authHook(ctx: AppContext, auth: RouteAuth): onRequestHookHandler | null {
  const reader = ctx.storage.reader;
  const terminals = { db: reader, cache: ctx.terminals };
  const now = () => ctx.now();
  const user = async (request: FastifyRequest) =>
    userFromToken(reader, bearerOf(request, SESSION_TOKEN), ctx.now());
  switch (auth) {
    case 'none':
      return null;
    case 'terminal':
      return async (request) => {
        const actor = await terminalFromToken(
          terminals,
          bearerOf(request, TERMINAL_TOKEN),
          cashierSessionOf(request),
          now,
        );
        noteTerminalSeen(ctx, actor.terminalId);
        request.actor = actor;
        recordTillQueue(request, actor, ctx.now());
      };
    case 'session':
      return async (request) => {
        const token = bearerOf(request, SESSION_TOKEN);
        const actor: SessionActor = {
          ...(await userFromToken(reader, token, ctx.now())),
          sessionTokenHash: hashToken(token),
        };
        request.actor = actor;
      };
    case 'manager':
      return async (request) => {
        const actor = await user(request);
        requireAnyManager(actor);
        request.actor = actor;
      };
    case 'chain_manager':
      return async (request) => {
        const actor = await user(request);
        requireManager(actor, null);
        request.actor = actor;
      };
  }
}
