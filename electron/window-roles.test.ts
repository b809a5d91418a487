import { describe, expect, it } from 'vitest';
import { deviceCallVerdict, receivesDeviceEvents, WindowRoles } from './window-roles';

const APP = 'app://tillpoint/index.html';

const twoWindows = (): WindowRoles => {
  const roles = new WindowRoles();
  roles.set(7, 'cashier');
  roles.set(8, 'customer');
  return roles;
};

describe('window roles', () => {
  it('serve device calls (print, open the drawer) to the cashier window', () => {
    expect(
      deviceCallVerdict({ webContentsId: 7, frameUrl: `${APP}#/checkout` }, twoWindows(), APP),
    ).toBe('allow');
  });

  it('refuse device calls from the customer display, whatever page it shows', () => {
    expect(
      deviceCallVerdict({ webContentsId: 8, frameUrl: `${APP}?role=customer` }, twoWindows(), APP),
    ).toBe('not-cashier');
  });

  it('refuse a window main did not open, and a cashier window that left the app page', () => {
    expect(deviceCallVerdict({ webContentsId: 9, frameUrl: APP }, twoWindows(), APP)).toBe(
      'unknown-window',
    );
    expect(
      deviceCallVerdict({ webContentsId: 7, frameUrl: 'https://evil.example/' }, twoWindows(), APP),
    ).toBe('not-app-page');
    expect(deviceCallVerdict({ webContentsId: 7, frameUrl: undefined }, twoWindows(), APP)).toBe(
      'not-app-page',
    );
  });

  it('send scans and other device events to the cashier window only', () => {
    expect(receivesDeviceEvents('cashier')).toBe(true);
    expect(receivesDeviceEvents('customer')).toBe(false);
    expect(twoWindows().eventReceivers()).toEqual([7]);
  });

  it('forget a closed window', () => {
    const roles = twoWindows();
    roles.delete(7);
    expect(roles.roleOf(7)).toBeNull();
    expect(roles.eventReceivers()).toEqual([]);
    expect(deviceCallVerdict({ webContentsId: 7, frameUrl: APP }, roles, APP)).toBe(
      'unknown-window',
    );
  });
});
