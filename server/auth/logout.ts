import type { LogoutResponse } from '../../core/protocol';
import type { AppContext } from '../context';
import type { SessionActor } from './actors';

/** Ends the caller's own session: its token is refused from the next request on, on every instance. */
export async function endSession(ctx: AppContext, actor: SessionActor): Promise<LogoutResponse> {
  await ctx.storage.write(async (w) => {
    await w.trx.deleteFrom('sessions').where('token_hash', '=', actor.sessionTokenHash).execute();
  });
  return { ended: true };
}
