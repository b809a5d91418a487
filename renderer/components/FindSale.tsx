import { useState } from 'react';
import { openSale } from '../app/refund-actions';
import { useT } from '../i18n/use-t';
import { useRefundStore } from '../state/refund-store';
import { RefundProblemNote } from './RefundProblemNote';

/**
 * The refund desk's way in: scan the receipt's QR code (the sale id) into the field or anywhere
 * on the screen, or type the id and press Enter.
 */
export function FindSale() {
  const t = useT();
  const [text, setText] = useState('');
  const phase = useRefundStore((s) => s.phase);
  const problem = useRefundStore((s) => s.problem);
  return (
    <form
      className="find-sale"
      data-testid="find-sale"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim() === '') return;
        void openSale(text);
        setText('');
      }}
    >
      <h2>{t('historyFind')}</h2>
      <div className="find-sale-row">
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('historyFindPlaceholder')}
          aria-label={t('historyFindPlaceholder')}
          autoComplete="off"
          data-testid="find-sale-input"
        />
        <button type="submit" className="primary" data-testid="find-sale-submit">
          {t('historyFindButton')}
        </button>
      </div>
      <p className="help">
        {phase.kind === 'finding' ? t('historyFinding') : t('historyFindHelp')}
      </p>
      {problem !== null && <RefundProblemNote problem={problem} />}
    </form>
  );
}
