/** The engine's timers, all cleared at once when it stops. */
export interface Timers {
  /** Runs `fn` after `ms` unless cleared first. */
  readonly later: (ms: number, fn: () => void) => void;
  readonly clear: () => void;
}

export function createTimers(): Timers {
  const pending = new Set<ReturnType<typeof setTimeout>>();
  return {
    later: (ms, fn) => {
      const t = setTimeout(() => {
        pending.delete(t);
        fn();
      }, ms);
      pending.add(t);
    },
    clear: () => {
      for (const t of pending) clearTimeout(t);
      pending.clear();
    },
  };
}
