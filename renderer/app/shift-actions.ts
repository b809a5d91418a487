import type { Fen } from '../../core/money';
import type { ShiftReport } from '../../core/protocol/index';
import type { ApiFailure } from '../data/api-client';
import type { ShiftRecord } from '../data/records';
import { useShiftStore } from '../state/shift-store';
import { base, terminalServices } from './services';

/** How long closing waits for the queue to drain before it reports what is still pending. */
const DRAIN_WAIT_MS = 5_000;

function failed(failure: ApiFailure): void {
  useShiftStore.getState().set({
    busy: false,
    problem: failure.offline
      ? { kind: 'offline' }
      : { kind: 'server', failure: { code: failure.code, message: failure.message } },
  });
}

async function saveShift(record: ShiftRecord | null): Promise<boolean> {
  try {
    if (record === null) await base.db.meta.delete('shift');
    else await base.db.meta.put(record);
    return true;
  } catch (error) {
    base.storage.report(error);
    return false;
  }
}

/**
 * Reads the shift this till is in from its database, then asks the server how it stands: an
 * opening or closing whose answer was lost is sent again (the same id and figures), and a shift
 * the server has open but this browser forgot (a new profile) is taken up again.
 */
export async function loadShift(): Promise<void> {
  const stored = await base.db.meta.get('shift');
  const current = stored?.key === 'shift' ? stored : null;
  useShiftStore.getState().set({ current });
  if (current === null) await adoptServerShift();
  else if (current.state === 'opening') await sendOpen(current);
  else if (current.state === 'closing') await sendClose(current);
  else await refreshReport();
}

/** The shift the server has open on this till, taken up when this browser holds none. */
async function adoptServerShift(): Promise<void> {
  const api = terminalServices()?.api;
  if (!api) return;
  const r = await api.call('currentShift', {});
  if (!r.ok || r.value.shift === null) return;
  const shift = r.value.shift;
  const record: ShiftRecord = {
    key: 'shift',
    shiftId: shift.shiftId,
    floatFen: shift.figures.cash.floatFen,
    state: 'open',
    countedFen: null,
    pending: null,
  };
  if (await saveShift(record)) useShiftStore.getState().set({ current: record, report: shift });
}

/** Opens a shift with the float put in the drawer. */
export async function openShift(floatFen: Fen): Promise<void> {
  if (useShiftStore.getState().current !== null) return;
  const record: ShiftRecord = {
    key: 'shift',
    shiftId: base.deps.newId(),
    floatFen,
    state: 'opening',
    countedFen: null,
    pending: null,
  };
  if (!(await saveShift(record))) return;
  useShiftStore.getState().set({ current: record, report: null, problem: null });
  await sendOpen(record);
}

async function sendOpen(record: ShiftRecord): Promise<void> {
  const api = terminalServices()?.api;
  if (!api) return;
  useShiftStore.getState().set({ busy: true, problem: null });
  const r = await api.call('openShift', {
    body: { id: record.shiftId, floatFen: record.floatFen },
  });
  if (!r.ok) {
    failed(r);
    // The server's definite no (another shift is open here): this opening will never be; the
    // shift the server has open is the one this till is in.
    if (!r.offline) {
      await saveShift(null);
      useShiftStore.getState().set({ current: null });
      await adoptServerShift();
    }
    return;
  }
  const open: ShiftRecord = { ...record, state: 'open' };
  await saveShift(open);
  useShiftStore.getState().set({ current: open, report: r.value, busy: false });
}

/** The open shift's figures up to now, from the server. */
export async function refreshReport(): Promise<void> {
  const current = useShiftStore.getState().current;
  const api = terminalServices()?.api;
  if (!api || current === null || current.state !== 'open') return;
  const r = await api.call('shiftReport', { params: { id: current.shiftId } });
  if (r.ok) useShiftStore.getState().set({ report: r.value, problem: null });
  else failed(r);
}

/** What this till still has to send: not in the server's figures until it is sent. */
async function pendingCounts(): Promise<{ sales: number; redemptions: number }> {
  const queued = [1, -Infinity];
  const [sales, redemptions] = await Promise.all([
    base.db.sales.where('[queued+createdAt]').between(queued, [1, Infinity]).count(),
    base.db.redemptions.where('[queued+createdAt]').between(queued, [1, Infinity]).count(),
  ]);
  return { sales, redemptions };
}

/** Syncs now and waits (a few seconds at most) for the queue to empty. */
async function drainFirst(): Promise<{ sales: number; redemptions: number }> {
  terminalServices()?.engine.syncNow();
  const until = base.deps.now() + DRAIN_WAIT_MS;
  let pending = await pendingCounts();
  while (pending.sales + pending.redemptions > 0 && base.deps.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    pending = await pendingCounts();
  }
  return pending;
}

/**
 * Closes the shift with the cash counted. The queue is synced first, so the report holds every
 * sale it can; what is still queued is reported with it. The count is stored before it is sent.
 */
export async function closeShift(countedFen: Fen): Promise<void> {
  const current = useShiftStore.getState().current;
  if (current === null || current.state !== 'open') return;
  useShiftStore.getState().set({ busy: true, problem: null });
  const pending = await drainFirst();
  const closing: ShiftRecord = { ...current, state: 'closing', countedFen, pending };
  if (!(await saveShift(closing))) return useShiftStore.getState().set({ busy: false });
  useShiftStore.getState().set({ current: closing });
  await sendClose(closing);
}

async function sendClose(record: ShiftRecord): Promise<void> {
  const api = terminalServices()?.api;
  if (!api || record.countedFen === null || record.pending === null) return;
  useShiftStore.getState().set({ busy: true, problem: null });
  const r = await api.call('closeShift', {
    params: { id: record.shiftId },
    body: { countedFen: record.countedFen, pending: record.pending },
  });
  if (!r.ok) {
    failed(r);
    // Closed already with another count (this till's own close, its answer lost before a
    // reload): the stored report stands.
    if (r.code === 'IDEMPOTENCY_KEY_REUSED') {
      const stored = await api.call('shiftReport', { params: { id: record.shiftId } });
      if (stored.ok && stored.value.state === 'closed') await closed(stored.value);
    }
    return;
  }
  await closed(r.value);
}

async function closed(report: ShiftReport): Promise<void> {
  await saveShift(null);
  useShiftStore.getState().set({ current: null, report, busy: false, problem: null });
}
