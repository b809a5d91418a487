import { useState } from 'react';
import type { ApiResult } from '../../data/api-client';
import { useFailureText } from './api';

/** A whole file checks and stores in one call; a big file takes longer than a save. */
export const IMPORT_TIMEOUT_MS = 120_000;

/**
 * The state of an all-or-nothing CSV import (codes, products, members): the chosen file, the
 * lines being checked while the server works, then its report or the failure in words. `send`
 * makes the one call; a new file clears the last report.
 */
export function useCsvImport<R extends { readonly imported: number }>(
  send: (csv: string) => Promise<ApiResult<R>>,
  onImported?: () => void,
) {
  const failureText = useFailureText();
  const [file, setFileState] = useState<File | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [report, setReport] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);

  function setFile(next: File | null) {
    setFileState(next);
    setReport(null);
  }

  async function run() {
    if (!file) return;
    const csv = await file.text();
    setBusy(csv.split('\n').length);
    setError(null);
    setReport(null);
    const r = await send(csv);
    setBusy(null);
    if (!r.ok) return setError(failureText(r));
    setReport(r.value);
    if (r.value.imported > 0) onImported?.();
  }

  return { file, setFile, busy, report, error, run };
}
