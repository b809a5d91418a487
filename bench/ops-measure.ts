import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { v7 as uuidv7 } from 'uuid';
import type { BackupReport } from '../core/protocol';
import { FILL, LOAD_CODES } from './ops-fill';
import { report } from './report';
import { CONNECTIONS, FreshCodes, problems, type Till } from './server-load';
import { json } from './server-process';

const WARM_S = 5;
const BASE_S = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Redemptions of fresh codes at CONNECTIONS clients until stopped; `accepted` counts as they are answered. */
function startLoad(till: Till, codes: FreshCodes): { stop: () => Promise<autocannon.Result> } {
  let done: (r: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve) => (done = resolve));
  const instance = autocannon(
    {
      url: till.url,
      connections: CONNECTIONS,
      duration: 3_600,
      requests: [
        {
          method: 'POST',
          path: '/v1/redemptions',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${till.token}` },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({
              id: uuidv7(),
              code: codes.take(),
              storeId: till.storeId,
              terminalId: till.terminalId,
              at: new Date().toISOString(),
              cart: null,
              offline: null,
            }),
          }),
          onResponse: (status, body) => {
            if (status === 200 && body.includes('"status":"accepted"')) codes.accepted += 1;
            else codes.refused += 1;
          },
        },
      ],
    },
    (err: unknown, result) => {
      if (err) problems.push(`load: ${String(err)}`);
      done(result);
    },
  );
  return {
    stop: () => {
      instance.stop();
      return finished;
    },
  };
}

/** Accepted redemptions per second over `body`'s duration. */
async function rateOver<T>(
  codes: FreshCodes,
  body: () => Promise<T>,
): Promise<{ rate: number; seconds: number; value: T }> {
  const n0 = codes.accepted;
  const t0 = performance.now();
  const value = await body();
  const seconds = (performance.now() - t0) / 1000;
  return { rate: (codes.accepted - n0) / seconds, seconds, value };
}

/**
 * One continuous load of fresh-code (L-…) redemptions: after WARM_S, BASE_S
 * seconds without a backup, then one backup through the manager route while
 * the same load goes on; reports both figures.
 */
export async function measureBackup(till: Till, managerToken: string): Promise<void> {
  const codes = new FreshCodes('L', LOAD_CODES);
  const running = startLoad(till, codes);
  try {
    await sleep(WARM_S * 1000);
    console.error(`# load average ${load()} before the window without a backup`);
    const base = await rateOver(codes, () => sleep(BASE_S * 1000));
    console.error(
      `# without a backup: ${base.rate.toFixed(0)} redemptions/s over ${base.seconds.toFixed(1)} s`,
    );
    // Redemptions per second through the backup, to see which of its phases (copy, check) costs.
    const timeline: number[] = [];
    let last = codes.accepted;
    const tick = setInterval(() => {
      timeline.push(codes.accepted - last);
      last = codes.accepted;
    }, 1000);
    const during = await rateOver(codes, () =>
      json<BackupReport>(`${till.url}/v1/manager/backups`, {
        token: managerToken,
        body: {},
      }).finally(() => clearInterval(tick)),
    );
    console.error(`# redemptions each second of the backup: ${timeline.join(' ')}`);
    const backup = during.value;
    console.error(
      `# during the backup: ${during.rate.toFixed(0)} redemptions/s; the backup took ` +
        `${during.seconds.toFixed(1)} s (its report: ${backup.seconds.toFixed(1)} s, ` +
        `${(backup.bytes / 1_048_576).toFixed(0)} MB, ${backup.rows['redemptions'] ?? 0} redemptions, ` +
        `verified ${backup.verified}${backup.problems.length > 0 ? `: ${backup.problems.join('; ')}` : ''})`,
    );
    if (!backup.verified) problems.push(`backup not verified: ${backup.problems.join('; ')}`);
    if ((backup.rows['redemptions'] ?? 0) < FILL)
      problems.push(`the backup holds ${backup.rows['redemptions'] ?? 0} redemptions`);
    report('ops.backup_1m.seconds', during.seconds, 's');
    report('ops.redeem_during_backup.ratio', during.rate / base.rate, 'ratio');
    console.error(`# load average ${load()} after the backup`);
  } finally {
    const result = await running.stop();
    if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0)
      problems.push(
        `load: ${result.non2xx} non-2xx answers, ${result.errors} errors (${result.timeouts} timeouts)`,
      );
  }
  if (codes.refused > 0) problems.push(`load: ${codes.refused} answers were not acceptances`);
}
