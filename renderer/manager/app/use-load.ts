import { useCallback, useEffect, useState } from 'react';
import type { ApiResult } from '../../data/api-client';
import { useFailureText } from './api';

export type Loaded<V> =
  | { readonly state: 'loading' }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'ready'; readonly value: V };

/** Runs a call when `key` changes (and on reload()); the latest call's answer wins. */
export function useLoad<V>(
  key: string,
  load: () => Promise<ApiResult<V>>,
): [Loaded<V>, () => void] {
  const failureText = useFailureText();
  const [loaded, setLoaded] = useState<Loaded<V>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  // `load` is a fresh closure on every render; `key` says when its inputs changed.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, [key, round]);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    void run().then((r) => {
      if (!current) return;
      setLoaded(
        r.ok ? { state: 'ready', value: r.value } : { state: 'failed', message: failureText(r) },
      );
    });
    return () => {
      current = false;
    };
    // failureText only reads the locale; a language switch need not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run]);
  return [loaded, useCallback(() => setRound((n) => n + 1), [])];
}
