import { v7 as uuidv7 } from 'uuid';
import { PrintJobId } from '../../core/devices/ids';

/** A receipt that has not printed within this long is never printed (DESIGN.md, Devices). */
export const RECEIPT_JOB_MINUTES = 5;

export interface PrintJobTicket {
  readonly jobId: PrintJobId;
  readonly expiresAt: string;
}

export interface PrintJobs {
  /**
   * The job of one receipt: the same id for every retry while it can still print, so the device
   * layer prints it at most once; a fresh one only after the old one can no longer print.
   */
  ticketFor(receiptKey: string): PrintJobTicket;
  /** The printer refused the job as expired: the next attempt needs a new one. */
  expired(receiptKey: string): void;
}

export function createPrintJobs(
  now: () => number = Date.now,
  newJobId: () => PrintJobId = () => PrintJobId.parse(uuidv7()),
): PrintJobs {
  const tickets = new Map<string, PrintJobTicket>();
  return {
    ticketFor(receiptKey) {
      const known = tickets.get(receiptKey);
      if (known !== undefined && Date.parse(known.expiresAt) > now()) return known;
      const ticket: PrintJobTicket = {
        jobId: newJobId(),
        expiresAt: new Date(now() + RECEIPT_JOB_MINUTES * 60_000).toISOString(),
      };
      tickets.set(receiptKey, ticket);
      return ticket;
    },
    expired(receiptKey) {
      tickets.delete(receiptKey);
    },
  };
}

/** This window's print jobs, kept across screens: leaving and coming back cannot print twice. */
export const printJobs = createPrintJobs();
