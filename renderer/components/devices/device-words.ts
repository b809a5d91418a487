import type { DeviceStatus } from '../../../core/devices/status';
import { formatLocalTime } from '../../../core/receipt/layout';
import { assertNever } from '../../../core/result';
import type { StringKey, T } from '../../i18n/strings';
import type { DeviceProblem } from '../../state/devices-store';

/** Colour of a status: green works, amber needs a look soon, red stops sales, grey is off. */
export type Tone = 'ok' | 'warn' | 'bad' | 'idle';

export interface StatusWords {
  /** The one word a cashier glances at. */
  readonly label: string;
  readonly tone: Tone;
  /** Everything else worth knowing: paper and cover flags, why it is offline, next retry. */
  readonly notes: readonly { readonly text: string; readonly tone: Tone }[];
}

/**
 * A device's live status in words and colour. Printer flags count only while
 * the printer is connected: after it drops, the last report is stale.
 */
export function statusWords(status: DeviceStatus, t: T, timeZone: string): StatusWords {
  const state = status.state;
  switch (state.state) {
    case 'online': {
      const p = status.printer;
      const notes: { text: string; tone: Tone }[] = [];
      if (p !== null) {
        if (p.paperEnd) notes.push({ text: t('paperEnd'), tone: 'bad' });
        if (p.coverOpen) notes.push({ text: t('coverOpen'), tone: 'bad' });
        if (!p.online && !p.paperEnd && !p.coverOpen)
          notes.push({ text: t('printerNotReady'), tone: 'bad' });
        if (p.paperNearEnd && !p.paperEnd) notes.push({ text: t('paperNearEnd'), tone: 'warn' });
      }
      const worst = notes.find((n) => n.tone === 'bad') ?? notes.find((n) => n.tone === 'warn');
      return worst === undefined
        ? { label: t('stateOnline'), tone: 'ok', notes }
        : { label: worst.text, tone: worst.tone, notes: notes.filter((n) => n !== worst) };
    }
    case 'opening':
      return { label: t('stateOpening'), tone: 'warn', notes: [] };
    case 'offline': {
      const notes: { text: string; tone: Tone }[] = [{ text: state.reason, tone: 'bad' }];
      if (state.retryAt === null) return { label: t('stateOffline'), tone: 'bad', notes };
      const time = formatLocalTime(state.retryAt, timeZone).slice(11);
      notes.push({ text: t('retryAt', { time }), tone: 'warn' });
      return { label: t('stateReconnecting'), tone: 'warn', notes };
    }
    case 'closed':
      return { label: t('stateClosed'), tone: 'idle', notes: [] };
    default:
      return assertNever(state, 'device state');
  }
}

export const kindWords = (kind: DeviceStatus['kind'], t: T): string =>
  t(`kind_${kind}` satisfies StringKey);

export const isPrinterKind = (kind: DeviceStatus['kind']): boolean =>
  kind === 'serial_printer' || kind === 'usb_printer' || kind === 'tcp_printer';

/** A failure in the manager's language: what happened and what to do, then during what. */
export function problemWords(
  problem: DeviceProblem,
  t: T,
): { readonly advice: string; readonly during: string } {
  return {
    advice: t(`err_${problem.code}` satisfies StringKey),
    during: t('during', { action: t(`action_${problem.action}` satisfies StringKey) }),
  };
}
