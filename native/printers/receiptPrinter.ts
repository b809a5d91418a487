import type { PrinterConfig } from '../../core/devices/config';
import type { DeviceErrorCode } from '../../core/devices/errors';
import type { DeviceState, PrinterStatus, PrintJobEvent } from '../../core/devices/status';
import { assertNever, err, ok, type Result } from '../../core/result';
import { statusRequest } from '../escpos/commands';
import { StatusReader, refusalFor, statusFromRealtime } from '../escpos/status';
import { Reconnector } from '../manager/reconnector';
import { SerialQueue } from '../manager/serial';
import { openFileLink } from '../transports/fileLink';
import type { Link, LinkHandlers } from '../transports/link';
import { openSerialLink } from '../transports/serialLink';
import { openTcpLink } from '../transports/tcpLink';
import type { JobJournal } from './jobJournal';

/** How long a printer gets to answer one DLE EOT request. */
const STATUS_ANSWER_MS = 1_000;

export interface PrintJob {
  readonly jobId: string;
  readonly expiresAt: string;
  readonly bytes: Uint8Array;
}

export type PrintResult = Result<'printed' | 'queued' | 'duplicate', DeviceErrorCode>;

export interface PrinterHooks {
  onState(state: DeviceState): void;
  onPrinterStatus(status: PrinterStatus): void;
  onJob(event: Omit<PrintJobEvent, 'printerId' | 'at'>): void;
  now(): Date;
  journal: JobJournal;
}

function openLink(config: PrinterConfig, handlers: LinkHandlers): Promise<Link> {
  switch (config.kind) {
    case 'serial_printer':
      return openSerialLink(config.line, handlers);
    case 'usb_printer':
      return openFileLink(config.path, handlers);
    case 'tcp_printer':
      return openTcpLink(config.host, config.port, handlers);
    default:
      return assertNever(config, 'printer kind');
  }
}

/**
 * One ESC/POS receipt printer: keeps its link open across unplug and replug,
 * asks for status before each receipt, and prints each job id at most once.
 * Jobs sent while the printer is away wait for it until their expiry.
 */
export class ReceiptPrinter {
  private readonly link: Reconnector<Link>;
  private readonly queue = new SerialQueue();
  private readonly pending = new Map<string, PrintJob>();
  private readonly answers: ((byte: number) => void)[] = [];
  private readonly reader: StatusReader;
  private last: PrinterStatus | null = null;

  constructor(
    readonly config: PrinterConfig,
    private readonly hooks: PrinterHooks,
  ) {
    this.reader = new StatusReader(
      (byte) => this.answers.shift()?.(byte),
      (status) => this.remember(status),
    );
    this.link = new Reconnector<Link>({
      connect: (lost) => openLink(config, { onData: (b) => this.reader.push(b), onLost: lost }),
      disconnect: (link) => link.close(),
      onUp: () => void this.queue.run(() => this.flushPending()),
      onState: hooks.onState,
      now: hooks.now,
    });
  }

  get state(): DeviceState {
    return this.link.state;
  }

  get lastStatus(): PrinterStatus | null {
    return this.last;
  }

  open(): Promise<void> {
    return this.link.open();
  }

  close(): Promise<void> {
    return this.link.close();
  }

  /** Asks the printer for its status now. */
  status(): Promise<Result<PrinterStatus, DeviceErrorCode>> {
    return this.queue.run(async () => {
      const link = this.link.active;
      if (link === null) return err('DEVICE_OFFLINE', this.offlineMessage());
      return this.ask(link);
    });
  }

  /** Prints a job unless it printed before, expired, or the printer says it cannot. */
  print(job: PrintJob): Promise<PrintResult> {
    return this.queue.run(async () => {
      if (this.hooks.journal.has(job.jobId)) return ok('duplicate' as const);
      if (Date.parse(job.expiresAt) <= this.hooks.now().getTime())
        return err(
          'JOB_EXPIRED',
          'This print job expired before it could print. Reprint the receipt from the sales list.',
        );
      const link = this.link.active;
      if (link === null) {
        this.pending.set(job.jobId, job);
        return ok('queued' as const);
      }
      return this.printOn(link, job);
    });
  }

  /** Sends bytes that are not a receipt (drawer pulse) when the printer is there. */
  send(bytes: Uint8Array): Promise<Result<true, DeviceErrorCode>> {
    return this.queue.run(async () => {
      const link = this.link.active;
      if (link === null) return err('DEVICE_OFFLINE', this.offlineMessage());
      try {
        await link.write(bytes);
        return ok(true as const);
      } catch (error) {
        this.link.lost((error as Error).message);
        return err('WRITE_FAILED', `${this.config.name}: ${(error as Error).message}`);
      }
    });
  }

  private async printOn(link: Link, job: PrintJob): Promise<PrintResult> {
    if (this.config.statusQuery && link.readable) {
      const status = await this.ask(link);
      if (!status.ok) return status;
      const refusal = refusalFor(status.value);
      if (refusal !== null) return err(refusal.code, `${this.config.name}: ${refusal.message}`);
    }
    try {
      await link.write(job.bytes);
    } catch (error) {
      // Not on paper: keep it for when the printer is back, within its expiry.
      this.pending.set(job.jobId, job);
      this.link.lost(`${this.config.name}: ${(error as Error).message}`);
      return ok('queued' as const);
    }
    this.pending.delete(job.jobId);
    await this.hooks.journal.add(job.jobId, job.expiresAt, this.hooks.now());
    return ok('printed' as const);
  }

  private async flushPending(): Promise<void> {
    for (const job of [...this.pending.values()]) {
      const link = this.link.active;
      if (link === null) return;
      this.pending.delete(job.jobId);
      if (this.hooks.journal.has(job.jobId)) continue;
      if (Date.parse(job.expiresAt) <= this.hooks.now().getTime()) {
        this.hooks.onJob({
          jobId: job.jobId as PrintJobEvent['jobId'],
          outcome: 'expired',
          message:
            'The printer came back too late; the receipt was not printed. Reprint it if needed.',
        });
        continue;
      }
      const result = await this.printOn(link, job);
      if (result.ok && result.value === 'printed') {
        this.hooks.onJob({
          jobId: job.jobId as PrintJobEvent['jobId'],
          outcome: 'printed',
          message: 'Printed after the printer came back.',
        });
      } else if (!result.ok) {
        this.hooks.onJob({
          jobId: job.jobId as PrintJobEvent['jobId'],
          outcome: 'failed',
          message: result.message,
        });
      }
    }
  }

  private async ask(link: Link): Promise<Result<PrinterStatus, DeviceErrorCode>> {
    if (!link.readable) {
      return err(
        'PRINTER_OFFLINE',
        `${this.config.name} is connected write-only (USB printer file); it cannot report status.`,
      );
    }
    const printer = await this.request(link, 1);
    const offlineCause = printer === null ? null : await this.request(link, 2);
    const paper = offlineCause === null ? null : await this.request(link, 4);
    if (printer === null || offlineCause === null || paper === null) {
      return err(
        'PRINTER_OFFLINE',
        `${this.config.name} did not answer a status request. Check that it is on; if it never reports status, turn off "ask printer status" in device settings.`,
      );
    }
    const status = statusFromRealtime({ printer, offlineCause, paper });
    this.remember(status);
    return ok(status);
  }

  private request(link: Link, n: 1 | 2 | 4): Promise<number | null> {
    return new Promise((resolve) => {
      const answer = (byte: number): void => {
        clearTimeout(timer);
        resolve(byte);
      };
      const timer = setTimeout(() => {
        const at = this.answers.indexOf(answer);
        if (at >= 0) this.answers.splice(at, 1);
        resolve(null);
      }, STATUS_ANSWER_MS);
      this.answers.push(answer);
      link.write(statusRequest(n)).catch(() => {
        clearTimeout(timer);
        const at = this.answers.indexOf(answer);
        if (at >= 0) this.answers.splice(at, 1);
        resolve(null);
      });
    });
  }

  private remember(status: PrinterStatus): void {
    const changed =
      this.last === null ||
      this.last.online !== status.online ||
      this.last.coverOpen !== status.coverOpen ||
      this.last.paperEnd !== status.paperEnd ||
      this.last.paperNearEnd !== status.paperNearEnd;
    this.last = status;
    if (changed) this.hooks.onPrinterStatus(status);
  }

  private offlineMessage(): string {
    const state = this.link.state;
    const why = state.state === 'offline' ? ` (${state.reason})` : '';
    return `${this.config.name} is not connected${why}. Check its cable and power.`;
  }
}
