import { useMemo, useState } from 'react';
import { base, deviceServices } from '../app/services';
import { useLiveQuery } from '../app/use-live-query';
import type { RedemptionRecord } from '../data/records';
import { useT } from '../i18n/use-t';
import { loadReprint, type ReprintData } from '../receipts/receipt-data';
import { redemptionReceipt, saleReceipt, type ReceiptContext } from '../receipts/receipt-model';
import { useSessionStore } from '../state/session-store';
import { ReceiptPanel } from './ReceiptPanel';

/**
 * A reprint of the receipt behind one queue item: the whole sale when the redemption belongs to a
 * stored sale, else the voucher slip of a quick redeem. Marked as a reprint, with the time it was
 * opened; the pending-sync mark follows where the redemptions stand now.
 */
export function ReprintReceipt({
  record,
  onClose,
}: {
  readonly record: RedemptionRecord;
  readonly onClose: () => void;
}) {
  const t = useT();
  const terminal = useSessionStore((s) => s.terminal);
  const cashier = useSessionStore((s) => s.session?.user.name ?? '');
  const locale = useSessionStore((s) => s.locale);
  // One reprint per opening: its time, and with it its print job, stay fixed while it is open.
  const [reprintedAt] = useState(() => new Date(base.deps.now()).toISOString());
  const data = useLiveQuery<ReprintData | null>(() => loadReprint(base.db, record), [record], null);
  const receipt = useMemo(() => {
    if (data === null || terminal === null) return null;
    const context: Omit<ReceiptContext, 'voucherNames'> = {
      store: terminal.store,
      terminalId: terminal.terminalId,
      terminalName: terminal.name,
      cashier: cashier || terminal.name,
      locale,
      reprintedAt,
    };
    return data.kind === 'sale'
      ? saleReceipt(data.data.sale, {
          ...context,
          voucherNames: data.data.voucherNames,
          redemptionStates: data.data.redemptionStates,
        })
      : redemptionReceipt(record, { ...context, voucherNames: data.voucherNames });
  }, [data, terminal, cashier, locale, reprintedAt, record]);

  return (
    <aside className="reprint" data-testid="reprint" aria-label={t('receipt')}>
      <header className="reprint-head">
        <h2>{t('receipt')}</h2>
        <button
          type="button"
          className="secondary small"
          onClick={onClose}
          data-testid="reprint-close"
        >
          {t('close')}
        </button>
      </header>
      {receipt !== null && (
        <ReceiptPanel
          receipt={receipt}
          receiptKey={`reprint:${receipt.saleId}:${reprintedAt}`}
          openDrawer={false}
          devices={deviceServices()}
          locale={locale}
        />
      )}
    </aside>
  );
}
