import { useState, type FormEvent } from 'react';
import { useT } from '../i18n/use-t';

/**
 * Typing a code by hand (a scanner that cannot read it, a code read over the phone). Scanners
 * typing into this field land here too and are submitted by their Enter.
 */
export function ScanEntry({
  onSubmit,
  autoFocus = false,
}: {
  readonly onSubmit: (text: string) => void;
  readonly autoFocus?: boolean;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const value = text.trim();
    if (value === '') return;
    setText('');
    onSubmit(value);
  };
  return (
    <form className="scan-entry" onSubmit={submit}>
      <input
        aria-label={t('codeInput')}
        placeholder={t('scanHint')}
        data-testid="scan-input"
        value={text}
        autoFocus={autoFocus}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="primary">
        {t('addButton')}
      </button>
    </form>
  );
}
