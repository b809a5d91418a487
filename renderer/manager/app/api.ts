import { useMemo } from 'react';
import type { ApiFailure } from '../../data/api-client';
import { createApiClient, type ApiClient } from '../../data/api-client';
import { apiFailureMessage } from '../../i18n/api-errors';
import { translator, type T } from '../i18n/strings';
import { useConsoleSession } from './session';

/** Console calls can carry a page of 500 stores or a batch edit: longer than a till's scan. */
const CONSOLE_TIMEOUT_MS = 15_000;

/**
 * The sync server's HTTP contract as the console calls it: the same typed client as the
 * cashier app (every answer validated), on this page's own origin, with the manager's session.
 */
export const api: ApiClient = createApiClient({
  baseUrl: window.location.origin,
  terminalToken: () => null,
  sessionToken: () => useConsoleSession.getState().session?.token ?? null,
  timeoutMs: CONSOLE_TIMEOUT_MS,
});

/** The current language's sentences. */
export function useT(): T {
  const locale = useConsoleSession((s) => s.locale);
  return useMemo(() => translator(locale), [locale]);
}

/**
 * A failed call in words. An ended session signs the manager out (the login screen says
 * why by itself).
 */
export function useFailureText(): (failure: ApiFailure) => string {
  const locale = useConsoleSession((s) => s.locale);
  return (failure) => {
    if (failure.code === 'UNAUTHENTICATED' || failure.code === 'TOKEN_EXPIRED')
      useConsoleSession.getState().signOut();
    if (failure.code === 'FORBIDDEN') return translator(locale)('forbidden');
    return apiFailureMessage(failure, locale);
  };
}
