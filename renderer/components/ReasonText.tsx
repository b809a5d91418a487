import { reasonMessage } from '../../core/messages/reasons';
import type { Reason } from '../../core/reasons';
import { useSessionStore } from '../state/session-store';
import { useMessageOptions } from './use-message-options';

/** A refusal in words, in the cashier's language and the store's time zone, naming stores and tills. */
export function ReasonText({ reason }: { readonly reason: Reason }) {
  const locale = useSessionStore((s) => s.locale);
  const options = useMessageOptions();
  return <span data-reason={reason.code}>{reasonMessage(reason, locale, options)}</span>;
}
