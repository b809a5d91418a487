import { FindSale } from '../components/FindSale';
import { RefundPanel } from '../components/RefundPanel';
import { useRefundStore } from '../state/refund-store';
import { QueueScreen } from './QueueScreen';

/**
 * F3, the history: find a sale (receipt QR, sale id, or the recent sales below) and refund it at
 * the refund desk; otherwise this till's redemptions and sales with where each stands.
 */
export function HistoryScreen() {
  const sale = useRefundStore((s) => s.sale);
  if (sale !== null) return <RefundPanel sale={sale} />;
  return (
    <div className="history" data-testid="history-screen">
      <FindSale />
      <QueueScreen />
    </div>
  );
}
