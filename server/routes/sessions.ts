import type { FastifyInstance } from 'fastify';
import type { StoreId, UserId } from '../../core/ids';
import { LoginRequest, type Role, type Session } from '../../core/protocol';
import { authenticateTerminal } from '../auth/actors';
import { hashSecret, hashToken, newToken, pinLookup, verifySecret } from '../auth/secrets';
import type { AppContext } from '../context';
import type { UserTable } from '../db/schema';
import { HttpError, parseOr400 } from '../http/errors';
import { limiterKey, rateLimitError } from '../http/rate-limit';

const CASHIER_HOURS = 12;
const MANAGER_HOURS = 8;

/** POST /v1/sessions: a cashier's PIN on a paired terminal, or a manager's password. */
export function registerSessions(app: FastifyInstance, ctx: AppContext): void {
  // Compared against when the username is unknown, so a miss costs as much as a wrong password.
  const dummyHash = hashSecret('tillpoint-no-such-user');
  app.post(
    '/v1/sessions',
    {
      config: {
        rateLimit: {
          max: ctx.limits.loginPerMinute,
          timeWindow: 60_000,
          keyGenerator: limiterKey,
          errorResponseBuilder: rateLimitError('login attempts'),
        },
      },
    },
    async (request) => {
      const body = parseOr400(LoginRequest, request.body, 'login request');
      const now = ctx.now();
      const db = ctx.storage.db;
      let user: Pick<UserTable, 'id' | 'name' | 'role' | 'store_id'> | undefined;
      let terminalId: string | null = null;
      let hours = MANAGER_HOURS;
      switch (body.kind) {
        case 'pin': {
          const terminal = await authenticateTerminal(db, request, now);
          terminalId = terminal.terminalId;
          hours = CASHIER_HOURS;
          const row = await db
            .selectFrom('users')
            .select(['id', 'name', 'role', 'store_id', 'pin_hash'])
            .where('pin_lookup', '=', pinLookup(ctx.keys.pinPepper, terminal.storeId, body.pin))
            .executeTakeFirst();
          if (row?.pin_hash && (await verifySecret(body.pin, row.pin_hash))) user = row;
          if (!user)
            throw new HttpError(
              401,
              'LOGIN_FAILED',
              'This PIN does not belong to a cashier of this store; check it and try again.',
            );
          break;
        }
        case 'password': {
          const row = await db
            .selectFrom('users')
            .select(['id', 'name', 'role', 'store_id', 'password_hash'])
            .where('username', '=', body.username)
            .executeTakeFirst();
          const matches = await verifySecret(
            body.password,
            row?.password_hash ?? (await dummyHash),
          );
          if (row?.password_hash && matches && row.role !== 'cashier') user = row;
          if (!user)
            throw new HttpError(
              401,
              'LOGIN_FAILED',
              'The username or password is wrong; check both and try again.',
            );
          break;
        }
      }
      const token = newToken();
      const expiresAt = new Date(Date.parse(now) + hours * 3_600_000).toISOString();
      const found = user;
      await ctx.storage.write(async (w) => {
        await w.trx
          .insertInto('sessions')
          .values({
            token_hash: hashToken(token),
            user_id: found.id,
            terminal_id: terminalId,
            created_at: now,
            expires_at: expiresAt,
          })
          .execute();
      });
      return {
        token,
        user: {
          id: found.id as UserId,
          name: found.name,
          role: found.role as Role,
          storeId: found.store_id as StoreId | null,
        },
        expiresAt,
      } satisfies Session;
    },
  );
}
