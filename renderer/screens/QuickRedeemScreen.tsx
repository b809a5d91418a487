import { useEffect } from 'react';
import type { ClientId } from '../../core/ids';
import { base } from '../app/services';
import { useLiveQuery } from '../app/use-live-query';
import { ResultPanel } from '../components/ResultPanel';
import { ScanEntry } from '../components/ScanEntry';
import { resultOfRecord } from '../data/record-result';
import type { RedemptionRecord } from '../data/records';
import { useT } from '../i18n/use-t';
import { useRedemptionStore, type QuickResult, type Shown } from '../state/redemption-store';

/** The newest quick redemption (no sale) this till stored, shown again after a reload. */
async function lastQuickRecord(): Promise<RedemptionRecord | undefined> {
  return base.db.redemptions
    .orderBy('createdAt')
    .reverse()
    .filter((r) => r.saleId === null)
    .first();
}

const recordIdOf = (entry: QuickResult): ClientId | null =>
  'record' in entry.result && entry.result.record ? entry.result.record.id : null;

/** The service desk: scan a voucher, see the answer. No clicks. */
export function QuickRedeemScreen({ onScan }: { readonly onScan: (text: string) => void }) {
  const t = useT();
  const current = useRedemptionStore((s) => s.current);
  const recent = useRedemptionStore((s) => s.recent);

  useEffect(() => {
    if (useRedemptionStore.getState().current !== null) return;
    void lastQuickRecord()
      .then((record) => {
        if (record)
          useRedemptionStore
            .getState()
            .restore(record.code, resultOfRecord(record), record.createdAt);
      })
      .catch((error: unknown) => base.storage.report(error));
  }, []);

  // Every result on screen follows its record: an offline acceptance the server later turned
  // into a conflict turns red here too.
  const shown = [current, ...recent].filter((e): e is QuickResult => e !== null);
  const ids = shown.map(recordIdOf).filter((id): id is ClientId => id !== null);
  const live = useLiveQuery(
    async () =>
      new Map(
        (await base.db.redemptions.bulkGet(ids)).flatMap((r) => (r ? [[r.id, r] as const] : [])),
      ),
    [ids.join(',')],
    new Map<string, RedemptionRecord>(),
  );
  const now = (entry: QuickResult): Shown => {
    const id = recordIdOf(entry);
    const record = id === null ? undefined : live.get(id);
    return record ? resultOfRecord(record) : entry.result;
  };

  return (
    <section
      className="quick"
      data-testid="quick-screen"
      aria-busy={current?.result.kind === 'checking'}
    >
      <div className="quick-main">
        {current ? (
          <ResultPanel
            key={current.seq}
            code={current.code}
            result={now(current)}
            {...(current.restored ? { restoredAt: current.restored.at } : {})}
          />
        ) : (
          <div className="result result-big idle" data-testid="result-idle">
            <div className="result-title">{t('ready')}</div>
            <div className="result-reason">{t('quickHint')}</div>
          </div>
        )}
      </div>
      <ScanEntry onSubmit={onScan} />
      {recent.length > 0 && (
        <ol className="recent">
          {recent.map((r) => (
            <li key={r.seq}>
              <ResultPanel code={r.code} result={now(r)} size="small" />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
