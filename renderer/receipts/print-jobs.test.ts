import { describe, expect, it } from 'vitest';
import { PrintJobId } from '../../core/devices/ids';
import { createPrintJobs, RECEIPT_JOB_MINUTES } from './print-jobs';

const ids = () => {
  let n = 0;
  return () => PrintJobId.parse(`0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`);
};

describe('print jobs of receipts', () => {
  it('gives every retry of one receipt the same job, so it prints at most once', () => {
    let now = Date.UTC(2026, 10, 22, 5);
    const jobs = createPrintJobs(() => now, ids());
    const first = jobs.ticketFor('sale:1');
    now += 60_000;
    expect(jobs.ticketFor('sale:1')).toEqual(first);
    expect(jobs.ticketFor('sale:2').jobId).not.toBe(first.jobId);
  });

  it('gives a new job once the old one has expired and can no longer print', () => {
    let now = Date.UTC(2026, 10, 22, 5);
    const jobs = createPrintJobs(() => now, ids());
    const first = jobs.ticketFor('sale:1');
    expect(Date.parse(first.expiresAt) - now).toBe(RECEIPT_JOB_MINUTES * 60_000);
    now += RECEIPT_JOB_MINUTES * 60_000;
    expect(jobs.ticketFor('sale:1').jobId).not.toBe(first.jobId);
  });

  it('gives a new job after the printer refused the old one as expired', () => {
    const jobs = createPrintJobs(() => Date.UTC(2026, 10, 22, 5), ids());
    const first = jobs.ticketFor('sale:1');
    jobs.expired('sale:1');
    expect(jobs.ticketFor('sale:1').jobId).not.toBe(first.jobId);
  });
});
