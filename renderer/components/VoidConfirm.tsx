import { useT } from '../i18n/use-t';

/**
 * The confirm step of 取消交易 (the void key, Esc at the tender stage), so one stray key does not
 * void an order: Enter voids, Esc goes back to taking the money (TenderPanel reads the keys).
 */
export function VoidConfirm({
  onConfirm,
  onBack,
  error,
}: {
  readonly onConfirm: () => void;
  readonly onBack: () => void;
  readonly error: string | null;
}) {
  const t = useT();
  return (
    <div
      className="tender void-confirm"
      role="alertdialog"
      aria-labelledby="void-title"
      aria-describedby="void-help"
      data-testid="void-confirm-panel"
    >
      <h3 id="void-title">{t('voidTitle')}</h3>
      <p id="void-help">{t('voidHelp')}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="danger big"
          onClick={onConfirm}
          data-testid="void-confirm"
          autoFocus
        >
          {t('voidConfirm')} <kbd>Enter</kbd>
        </button>
        <button type="button" className="secondary" onClick={onBack} data-testid="void-back">
          {t('voidBack')} <kbd>Esc</kbd>
        </button>
      </div>
      <p className="help">{t('voidKeysHelp')}</p>
    </div>
  );
}
