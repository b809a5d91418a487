import { requireManager, type UserActor } from '../auth/actors';

/**
 * The store a review call may see: a store manager is pinned to theirs (and
 * refused another), a chain manager picks one or, with none asked, all (null).
 */
export function reviewScope(user: UserActor, asked: string | undefined): string | null {
  requireManager(user, user.role === 'chain_manager' ? null : (asked ?? user.storeId));
  return user.role === 'chain_manager' ? (asked ?? null) : user.storeId;
}
