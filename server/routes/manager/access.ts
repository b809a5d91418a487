import type { FastifyInstance } from 'fastify';
import { CreateUserRequest, PairingCodeRequest } from '../../../core/protocol';
import { authenticateUser, requireManager } from '../../auth/actors';
import { createPairingCode, createUser } from '../../catalog/access';
import type { AppContext } from '../../context';
import { parseOr400 } from '../../http/errors';

/** Pairing codes and users. A store manager may do both for their own store. */
export function registerManagerAccess(app: FastifyInstance, ctx: AppContext): void {
  app.post('/v1/manager/pairing-codes', async (request, reply) => {
    const user = await authenticateUser(ctx.storage.db, request, ctx.now());
    const body = parseOr400(PairingCodeRequest, request.body, 'pairing code request');
    requireManager(user, body.storeId);
    const code = await createPairingCode(
      ctx.storage,
      { actor: user.userId, terminalId: null },
      body.storeId,
      body.ttlHours,
      ctx.now(),
    );
    return reply.code(201).send(code);
  });

  app.post('/v1/manager/users', async (request, reply) => {
    const user = await authenticateUser(ctx.storage.db, request, ctx.now());
    const body = parseOr400(CreateUserRequest, request.body, 'user');
    requireManager(user, body.role === 'chain_manager' ? null : body.storeId);
    if (body.role === 'store_manager') requireManager(user, null);
    const created = await createUser(
      ctx.storage,
      ctx.keys.pinPepper,
      { actor: user.userId, terminalId: null },
      body,
      ctx.now(),
    );
    return reply.code(201).send(created);
  });
}
