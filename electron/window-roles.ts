import type { WindowRole } from '../core/desktop/launch';
import { isAppUrl } from './security';

/** The windows main opened, by webContents id, with their roles. */
export class WindowRoles {
  readonly #roles = new Map<number, WindowRole>();

  set(webContentsId: number, role: WindowRole): void {
    this.#roles.set(webContentsId, role);
  }

  delete(webContentsId: number): void {
    this.#roles.delete(webContentsId);
  }

  roleOf(webContentsId: number): WindowRole | null {
    return this.#roles.get(webContentsId) ?? null;
  }

  /** The ids of the windows that get device events (scans, status, print jobs): cashier only. */
  eventReceivers(): number[] {
    return [...this.#roles].filter(([, role]) => receivesDeviceEvents(role)).map(([id]) => id);
  }
}

/** Only the cashier window hears scans: the customer display must never redeem one. */
export function receivesDeviceEvents(role: WindowRole): boolean {
  return role === 'cashier';
}

export type DeviceCallVerdict = 'allow' | 'unknown-window' | 'not-app-page' | 'not-cashier';

/**
 * Whether main serves a device call (print, open the drawer, any other): from a window main
 * opened, whose frame is our own app page, and which is the cashier window. Decided by the
 * sender, never by anything the page says about itself.
 */
export function deviceCallVerdict(
  sender: { readonly webContentsId: number; readonly frameUrl: string | undefined },
  roles: WindowRoles,
  appUrl: string,
): DeviceCallVerdict {
  const role = roles.roleOf(sender.webContentsId);
  if (role === null) return 'unknown-window';
  if (!isAppUrl(sender.frameUrl, appUrl)) return 'not-app-page';
  return role === 'cashier' ? 'allow' : 'not-cashier';
}
