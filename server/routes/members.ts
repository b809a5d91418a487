import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { registerRoute } from '../http/route';
import { lookupMember } from '../members/members';

/** Members at the counter: the look-up by card or phone (the feed carries them for offline). */
export function registerMembers(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.lookupMember, ({ actor, query, now }) =>
    lookupMember(ctx, actor, query, now),
  );
}
