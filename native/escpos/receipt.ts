import type { ReceiptLayout } from '../../core/receipt/rows';
import { assertNever } from '../../core/result';
import { EscPosWriter } from './commands';

/**
 * Encodes laid-out receipt rows as ESC/POS. The rows come from
 * core/receipt's layoutReceipt, the same rows the on-screen preview shows.
 */
export function encodeReceipt(
  layout: ReceiptLayout,
  options: { cut: boolean; openDrawer: boolean },
): Uint8Array {
  const out = new EscPosWriter().initialize();
  for (const row of layout.rows) {
    switch (row.kind) {
      case 'text':
        out.align(row.align);
        if (row.bold) out.bold(true);
        if (row.large) out.large(true);
        out.text(row.text).newline();
        if (row.large) out.large(false);
        if (row.bold) out.bold(false);
        break;
      case 'qr':
        out
          .align('center')
          .qr(row.data, { size: layout.columns === 48 ? 6 : 5 })
          .newline();
        break;
      case 'code128':
        out.align('center').code128(row.segments).newline();
        break;
      case 'feed':
        out.feed(row.lines);
        break;
      case 'cut':
        if (options.cut) out.cut();
        break;
      default:
        assertNever(row, 'receipt row');
    }
  }
  out.align('left');
  if (options.openDrawer) out.drawerPulse();
  return out.bytes();
}
