import { useEffect } from 'react';
import { createWedgeDetector, DEFAULT_WEDGE } from '../scan/wedge-detector';

/** True for a field the cashier is typing in: scans there belong to the field. */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement)
    return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type);
  return false;
}

/**
 * Listens for a keyboard-wedge scanner anywhere in the window, except inside text fields.
 * Keys of a fast burst do not reach buttons, so a scan never "clicks" the focused button.
 */
export function useWedgeScanner(onScan: (text: string) => void, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return undefined;
    const detector = createWedgeDetector(DEFAULT_WEDGE);
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      if (isTextField(event.target)) {
        detector.reset();
        return;
      }
      const { scan, inBurst } = detector.key(event.key, event.timeStamp);
      if (scan !== null) {
        event.preventDefault();
        onScan(scan);
      } else if (inBurst) {
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onScan, enabled]);
}
