import type { AppContext } from '../context';

/** A till's last request is written at most this often per server instance. */
const EVERY_MS = 60_000;
/** Tills remembered at most; past it the memory starts again empty (a few extra writes). */
const MAX_ENTRIES = 10_000;

const written = new WeakMap<AppContext, Map<string, number>>();

/**
 * Remembers that a till made a request, for the console's "last seen": written beside the
 * request, never in its way (a redemption does not wait for it, and a failure to write it only
 * leaves the time older), and at most once a minute a till, so a busy till costs one small write
 * a minute rather than one per scan.
 */
export function noteTerminalSeen(ctx: AppContext, terminalId: string): void {
  let seen = written.get(ctx);
  if (!seen) {
    seen = new Map();
    written.set(ctx, seen);
  }
  const nowMs = performance.now();
  const last = seen.get(terminalId);
  if (last !== undefined && nowMs - last < EVERY_MS) return;
  if (seen.size >= MAX_ENTRIES) seen.clear();
  seen.set(terminalId, nowMs);
  const at = ctx.now();
  ctx.storage
    .write((w) =>
      w.trx
        .updateTable('terminals')
        .set({ last_seen_at: at })
        .where('id', '=', terminalId)
        .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', at)]))
        .execute(),
    )
    .catch(() => {
      // A closing server or a busy database: the next minute's request writes it.
      seen.delete(terminalId);
    });
}
