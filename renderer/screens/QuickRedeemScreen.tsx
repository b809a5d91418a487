import { ResultPanel } from '../components/ResultPanel';
import { ScanEntry } from '../components/ScanEntry';
import { useT } from '../i18n/use-t';
import { useRedemptionStore } from '../state/redemption-store';

/** The service desk: scan a voucher, see the answer. No clicks. */
export function QuickRedeemScreen({ onScan }: { readonly onScan: (text: string) => void }) {
  const t = useT();
  const current = useRedemptionStore((s) => s.current);
  const recent = useRedemptionStore((s) => s.recent);
  const busy = useRedemptionStore((s) => s.busy);
  return (
    <section className="quick" data-testid="quick-screen" aria-busy={busy}>
      <div className="quick-main">
        {current ? (
          <ResultPanel key={current.seq} code={current.code} result={current.result} />
        ) : (
          <div className="result result-big idle" data-testid="result-idle">
            <div className="result-title">{t('ready')}</div>
            <div className="result-reason">{t('quickHint')}</div>
          </div>
        )}
      </div>
      <ScanEntry onSubmit={onScan} />
      {recent.length > 1 && (
        <ol className="recent">
          {recent.slice(1).map((r) => (
            <li key={r.seq}>
              <ResultPanel code={r.code} result={r.result} size="small" />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
