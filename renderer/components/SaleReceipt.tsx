import { useMemo } from 'react';
import { base, deviceServices } from '../app/services';
import { useLiveQuery } from '../app/use-live-query';
import { loadSaleReceipt, type SaleReceiptData } from '../receipts/receipt-data';
import { saleReceipt } from '../receipts/receipt-model';
import { useSessionStore } from '../state/session-store';
import { ReceiptPanel } from './ReceiptPanel';

/** The receipt of the sale just finished, with Print (and the cash drawer) when a printer is set. */
export function SaleReceipt({ saleId }: { readonly saleId: string }) {
  const terminal = useSessionStore((s) => s.terminal);
  const cashier = useSessionStore((s) => s.session?.user.name ?? '');
  const locale = useSessionStore((s) => s.locale);
  const data = useLiveQuery<SaleReceiptData | null>(
    () => loadSaleReceipt(base.db, saleId),
    [saleId],
    null,
  );
  const receipt = useMemo(
    () =>
      data === null || terminal === null
        ? null
        : saleReceipt(data.sale, {
            store: terminal.store,
            terminalId: terminal.terminalId,
            terminalName: terminal.name,
            cashier: cashier || terminal.name,
            locale,
            voucherNames: data.voucherNames,
            // The receipt handed over now says what the customer was told at the till.
            reprintedAt: null,
          }),
    [data, terminal, cashier, locale],
  );
  if (receipt === null) return null;
  return (
    <ReceiptPanel
      receipt={receipt}
      receiptKey={`sale:${saleId}`}
      openDrawer
      devices={deviceServices()}
      locale={locale}
    />
  );
}
