import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import { base } from './services';

/** Re-runs a Dexie query whenever the tables it read change, in this tab or another. */
export function useLiveQuery<T>(query: () => Promise<T>, deps: readonly unknown[], initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: setValue,
      error: (error: unknown) => base.storage.report(error),
    });
    return () => subscription.unsubscribe();
    // The caller lists the query's inputs, as with useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}
