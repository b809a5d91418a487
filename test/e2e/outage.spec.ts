import { pairDirectly, setOfflineAllowance, acceptedOnServer } from '../helpers/app-server-api';
import {
  expect,
  pairAndLogin,
  resultFor,
  screenshot,
  test,
  useAppEnv,
  wedgeScan,
} from './fixtures';

const env = useAppEnv();
const ALLOWANCE = 48;

test('an outage: offline redemptions within the allowance survive a reload and sync exactly once', async ({
  page,
}) => {
  const e = env();
  // A small allowance for the store, set by its manager before the till gets its lease.
  const observer = await pairDirectly(e.server.url, e.demo.pairingCodes[2]?.code ?? '');
  await setOfflineAllowance(e.server.url, e.demo, observer.store, {
    maxCount: ALLOWANCE,
    maxValueFen: 10_000_000,
    hours: 24,
  });
  await pairAndLogin(page, e, 0);
  await page.getByTestId('tab-quick').click();
  await expect(page.getByTestId('status-allowance')).toContainText(String(ALLOWANCE));

  const codes = [...(e.demo.codes['demo-cash'] ?? []), ...(e.demo.codes['demo-general'] ?? [])];
  const [onlineCode, ...rest] = codes;
  if (!onlineCode || rest.length < 49) throw new Error('not enough demo codes');
  await wedgeScan(page, onlineCode);
  await expect(await resultFor(page, onlineCode)).toHaveAttribute('data-pending', 'false');

  await e.server.stop();

  const offlineCodes = rest.slice(0, ALLOWANCE + 1); // the last one is beyond the allowance
  const accepted: string[] = [];
  let scans = 0;
  for (const [i, code] of offlineCodes.entries()) {
    if (i === 25) {
      // A reload mid-outage: the queue and the login survive it.
      await page.reload();
      await expect(page.getByTestId('status-queued')).toHaveText(String(accepted.length));
    }
    if (i === 10) {
      // The same code twice on this terminal: refused here, with no server to ask.
      await wedgeScan(page, accepted[0] ?? '');
      scans += 1;
      const again = page.locator(
        `[data-testid="result"][data-code="${accepted[0]}"][data-result="refused"]`,
      );
      await expect(again).toHaveAttribute('data-reason', 'ALREADY_REDEEMED');
      await screenshot(page, 'quick-redeem-refused');
    }
    await wedgeScan(page, code);
    scans += 1;
    const result = await resultFor(page, code);
    if (i < ALLOWANCE) {
      await expect(result, `offline scan #${i}`).toHaveAttribute('data-result', 'accepted');
      await expect(result).toHaveAttribute('data-pending', 'true');
      accepted.push(code);
      if (i === 0) await screenshot(page, 'quick-redeem-accepted-offline');
    } else {
      await expect(result).toHaveAttribute('data-result', 'refused');
      await expect(result).toHaveAttribute('data-reason', 'OFFLINE_ALLOWANCE_EXCEEDED');
    }
  }
  expect(scans).toBe(50);
  await expect(page.getByTestId('status-online')).toHaveText(/离线|Offline/);
  await expect(page.getByTestId('status-queued')).toHaveText(String(ALLOWANCE));
  await screenshot(page, 'offline-status');

  await e.restart();
  await expect(page.getByTestId('status-queued')).toHaveText('0', { timeout: 60_000 });
  await expect(page.getByTestId('status-online')).toHaveText(/在线|Online/);
  await page.getByTestId('status-bar').click();
  await expect(page.locator('[data-testid="queue-row"][data-state="synced"]')).toHaveCount(
    ALLOWANCE + 1,
  );
  await expect(page.locator('[data-testid="queue-row"][data-state="conflict"]')).toHaveCount(0);
  await screenshot(page, 'queue-view');

  await e.server.stop();
  const held = acceptedOnServer(e.dataDir);
  await e.restart();
  expect([...held.keys()].sort()).toEqual([onlineCode, ...accepted].sort());
  for (const [, row] of held) expect(row).toEqual({ count: 1, storeId: observer.store.id });
});
