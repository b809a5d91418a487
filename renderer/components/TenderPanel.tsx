import { useEffect, useState } from 'react';
import { paymentReasonMessage } from '../../core/messages/payment';
import { formatFen, parseYuan, subFenFloor, type Fen } from '../../core/money';
import { AuthCode } from '../../core/protocol/index';
import type { TenderPlan, TenderPlanProblem } from '../../core/sales/tender-plan';
import { assertNever } from '../../core/result';
import { notify } from '../app/actions';
import { completeCash, voidSale } from '../app/checkout-actions';
import { approveWechat, cancelWechat, payByCode, payByWechat } from '../app/native-payment';
import type { StringKey } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useSessionStore } from '../state/session-store';
import { usePaymentStore, wechatBusy, type WechatPhase } from '../state/payment-store';
import { ManagerApprovalForm } from './ManagerApprovalForm';
import { Countdown, QrCode } from './QrCode';
import { shortCode } from './short-code';
import { VoidConfirm } from './VoidConfirm';

type Mode = 'cash' | 'split' | 'code';

const PROBLEM_TEXT: Record<TenderPlanProblem, StringKey> = {
  CASH_SHORT: 'notEnoughCash',
  SPLIT_CASH_COVERS_ALL: 'splitCashTooMuch',
  SPLIT_CASH_ZERO: 'splitCashZero',
  NOTHING_TO_PAY_BY_WECHAT: 'nothingToPayByWechat',
};

/**
 * Taking the amount due, keyboard first: F6 cash, F7 WeChat Native, F8 cash + WeChat, F9 the
 * customer's payment code (a scanner types it into the field), Esc cancels a WeChat order. While a
 * WeChat payment is under way or unknown, no other tender can start. With none under way, Esc
 * asks to void the sale (取消交易) and Enter confirms it.
 */
export function TenderPanel({ dueFen }: { readonly dueFen: Fen }) {
  const t = useT();
  const phase = usePaymentStore((s) => s.phase);
  const busy = wechatBusy(phase);
  const [mode, setMode] = useState<Mode>('cash');
  const [text, setText] = useState(() => (dueFen / 100).toFixed(2));
  const [error, setError] = useState<string | null>(null);
  const [confirmVoid, setConfirmVoid] = useState(false);
  const [voidError, setVoidError] = useState<string | null>(null);
  const parsed = parseYuan(text);

  const show = (plan: TenderPlan | null): void => {
    if (plan && !plan.ok) setError(t(PROBLEM_TEXT[plan.code]));
    else setError(null);
  };
  const submit = async (): Promise<void> => {
    // A payment code scanned into any of the fields is a payment code, never an amount of cash.
    const code = AuthCode.safeParse(text.trim());
    if (code.success) return show(await payByCode(code.data));
    if (mode === 'code') return setError(t('codeNotPaymentCode'));
    if (!parsed.ok) return setError(parsed.message);
    if (mode === 'cash') show(await completeCash(parsed.value));
    else show(await payByWechat(parsed.value));
  };
  const askVoid = (open: boolean): void => {
    setConfirmVoid(open);
    setVoidError(null);
  };
  const doVoid = async (): Promise<void> => {
    const returned = await voidSale();
    if (returned === null) return setVoidError(t('voidFailed'));
    notify(
      returned.length === 0
        ? t('voidDone')
        : t('voidDoneReturned', { codes: returned.map(shortCode).join('、') }),
    );
  };
  const choose = (next: Mode): void => {
    setMode(next);
    setError(null);
    setText(next === 'cash' ? (dueFen / 100).toFixed(2) : '');
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const busyNow = wechatBusy(usePaymentStore.getState().phase);
      if (confirmVoid) {
        if (event.key === 'Enter') {
          event.preventDefault();
          void doVoid();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          askVoid(false);
        }
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        if (busyNow) cancelWechat();
        else askVoid(true);
        return;
      }
      if (busyNow) return;
      if (event.key === 'F6') {
        event.preventDefault();
        choose('cash');
      } else if (event.key === 'F7') {
        event.preventDefault();
        void payByWechat(0 as Fen).then(show);
      } else if (event.key === 'F8') {
        event.preventDefault();
        choose('split');
      } else if (event.key === 'F9') {
        event.preventDefault();
        choose('code');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (busy) return <WechatPanel phase={phase} />;
  if (confirmVoid)
    return (
      <VoidConfirm
        onConfirm={() => void doVoid()}
        onBack={() => askVoid(false)}
        error={voidError}
      />
    );
  const change =
    mode === 'cash' && parsed.ok && parsed.value >= dueFen
      ? subFenFloor(parsed.value, dueFen)
      : null;
  return (
    <div className="tender" data-testid="tender">
      <div className="tender-keys" role="group">
        <button
          type="button"
          className={mode === 'cash' ? 'tender-key active' : 'tender-key'}
          onClick={() => choose('cash')}
          data-testid="tender-cash"
        >
          {t('tenderCash')} <kbd>F6</kbd>
        </button>
        <button
          type="button"
          className="tender-key"
          onClick={() => void payByWechat(0 as Fen).then(show)}
          data-testid="tender-wechat"
        >
          {t('tenderWechat')} <kbd>F7</kbd>
        </button>
        <button
          type="button"
          className={mode === 'split' ? 'tender-key active' : 'tender-key'}
          onClick={() => choose('split')}
          data-testid="tender-split"
        >
          {t('tenderSplit')} <kbd>F8</kbd>
        </button>
        <button
          type="button"
          className={mode === 'code' ? 'tender-key active' : 'tender-key'}
          onClick={() => choose('code')}
          data-testid="tender-code"
        >
          {t('tenderCode')} <kbd>F9</kbd>
        </button>
        <button
          type="button"
          className="tender-key void-key"
          onClick={() => askVoid(true)}
          data-testid="tender-void"
        >
          {t('voidKey')} <kbd>Esc</kbd>
        </button>
      </div>
      {phase.kind === 'failed' && <FailedNote phase={phase} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          {t(
            mode === 'cash' ? 'cashReceived' : mode === 'code' ? 'codeInputLabel' : 'splitCashPart',
          )}
          <input
            key={mode}
            value={text}
            onChange={(e) => setText(e.target.value)}
            inputMode={mode === 'code' ? 'numeric' : 'decimal'}
            autoFocus
            data-testid={mode === 'code' ? 'code-input' : 'cash-input'}
            className="money-field"
          />
        </label>
        {mode === 'code' ? null : mode === 'cash' ? (
          <p>
            {t('change')}: <b data-testid="change">{change === null ? '—' : formatFen(change)}</b>
          </p>
        ) : (
          <p data-testid="split-rest">
            {parsed.ok && parsed.value < dueFen
              ? t('splitRest', { amount: formatFen(subFenFloor(dueFen, parsed.value)) })
              : '—'}
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary big" data-testid="complete-sale">
          {t(mode === 'cash' ? 'completeSale' : mode === 'code' ? 'payByCode' : 'payByWechat')}
        </button>
      </form>
      <p className="help">{t('tenderKeysHelp')}</p>
    </div>
  );
}

function FailedNote({ phase }: { readonly phase: Extract<WechatPhase, { kind: 'failed' }> }) {
  const t = useT();
  const locale = useSessionStore((s) => s.locale);
  const text = (() => {
    switch (phase.reason) {
      case 'offline':
        return t('wechatNeedsNetwork');
      case 'closed':
        return t('wechatClosed');
      case 'expired':
        return t('wechatExpired');
      case 'refused':
        return t('wechatRefused', { detail: phase.detail });
      case 'declined':
        return t('wechatDeclined', {
          detail: paymentReasonMessage(phase.why ?? 'DECLINED', locale),
        });
      default:
        return assertNever(phase.reason, 'failure');
    }
  })();
  return (
    <p
      className="notice"
      role="alert"
      data-testid="wechat-failed"
      data-reason={phase.reason}
      data-why={phase.why ?? ''}
    >
      {text}
    </p>
  );
}

/** The WeChat payment in progress: the QR code and its countdown, or what the till is waiting on. */
function WechatPanel({ phase }: { readonly phase: WechatPhase }) {
  const t = useT();
  const body = (() => {
    switch (phase.kind) {
      case 'qr':
        return (
          <>
            <p>{t('wechatScanPrompt', { amount: formatFen(phase.amountFen) })}</p>
            <QrCode text={phase.codeUrl} size={220} testId="cashier-qr" />
            <Countdown
              expiresAt={phase.expiresAt}
              label={(time) => t('wechatExpiresIn', { time })}
            />
          </>
        );
      case 'recording':
        return <p>{t('wechatRecording')}</p>;
      case 'placing':
        return <p>{t('wechatPlacing')}</p>;
      case 'charging':
        return <p>{t('wechatCharging')}</p>;
      case 'confirming':
        return (
          <p className="checking" data-testid="wechat-confirming">
            {t('wechatConfirming')}
          </p>
        );
      case 'approval':
        return <ApprovalForm refused={phase.refused} detail={phase.detail} />;
      case 'checking':
        return <p className="checking">{t(phase.held ? 'wechatHeld' : 'wechatChecking')}</p>;
      case 'cancelling':
        return <p>{t('wechatCancelling')}</p>;
      case 'none':
      case 'failed':
        return null;
      default:
        return assertNever(phase, 'wechat phase');
    }
  })();
  return (
    <div className="tender wechat" data-testid="wechat-panel" data-phase={phase.kind}>
      <h3>{t('tenderWechat')}</h3>
      {body}
      {(phase.kind === 'qr' || phase.kind === 'placing') && (
        <button
          type="button"
          className="secondary"
          onClick={cancelWechat}
          data-testid="wechat-cancel"
        >
          {t('wechatCancelKey')}
        </button>
      )}
    </div>
  );
}

function ApprovalForm({ refused, detail }: { readonly refused: boolean; readonly detail: string }) {
  const t = useT();
  return (
    <ManagerApprovalForm
      className="approval"
      intro={
        <>
          <h4>{t('approvalTitle')}</h4>
          <p>{t('approvalHelp')}</p>
        </>
      }
      submitLabel="approvalSubmit"
      refused={refused}
      refusedDetail={detail}
      decide={approveWechat}
    />
  );
}
