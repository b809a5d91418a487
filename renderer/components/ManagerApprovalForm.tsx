import { useState, type ReactNode } from 'react';
import { APPROVAL_SENTENCES } from '../../core/messages/approvals';
import type { ManagerApproval } from '../../core/protocol/index';
import type { StringKey } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useSessionStore } from '../state/session-store';

/**
 * A store manager approves with their own username and password (a large payment, a refund).
 * They stay in this form's local state only until sent, and go with that one request (never
 * into a store). `decide(null)` is the cashier's cancel.
 */
export function ManagerApprovalForm(props: {
  readonly className: string;
  /** The title and what is being approved. */
  readonly intro: ReactNode;
  readonly submitLabel: StringKey;
  readonly refused: boolean;
  /** The server's own words on a refusal, as a tooltip. */
  readonly refusedDetail?: string;
  readonly cancelOnEscape?: boolean;
  readonly decide: (approval: ManagerApproval | null) => void;
}) {
  const t = useT();
  const locale = useSessionStore((s) => s.locale);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { decide } = props;
  return (
    <form
      className={props.className}
      data-testid="approval-dialog"
      onSubmit={(e) => {
        e.preventDefault();
        if (username === '' || password === '') return;
        const approval = { username, password };
        setPassword('');
        decide(approval);
      }}
      onKeyDown={
        props.cancelOnEscape === true
          ? (e) => {
              if (e.key === 'Escape') decide(null);
            }
          : undefined
      }
    >
      {props.intro}
      {props.refused && (
        <p
          className="error"
          role="alert"
          data-testid="approval-refused"
          title={props.refusedDetail}
        >
          {APPROVAL_SENTENCES.APPROVAL_REFUSED[locale === 'zh-CN' ? 0 : 1]}
        </p>
      )}
      <label>
        {t('approvalUsername')}
        <input
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="off"
          autoFocus
          data-testid="approval-username"
        />
      </label>
      <label>
        {t('approvalPassword')}
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="off"
          data-testid="approval-password"
        />
      </label>
      <div className="approval-actions">
        <button type="submit" className="primary" data-testid="approval-submit">
          {t(props.submitLabel)}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => decide(null)}
          data-testid="approval-cancel"
        >
          {t('approvalCancel')}
        </button>
      </div>
    </form>
  );
}
