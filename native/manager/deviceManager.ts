import {
  columnsFor,
  isPrinter,
  type DeviceConfig,
  type DeviceSettings,
  type PrinterConfig,
} from '../../core/devices/config';
import type { DeviceInput, DeviceResult, DeviceList } from '../../core/devices/contract';
import type { DeviceErrorCode } from '../../core/devices/errors';
import type { DeviceId } from '../../core/devices/ids';
import type { ScanEvent } from '../../core/devices/scan';
import type { DeviceState, DeviceStatus, PrinterStatus } from '../../core/devices/status';
import { layoutPrintable } from '../../core/receipt/shift-layout';
import { testPageLayout } from '../../core/receipt/testPage';
import { assertNever, err, ok, type Err, type Result } from '../../core/result';
import { EscPosWriter } from '../escpos/commands';
import { encodeReceipt } from '../escpos/receipt';
import { JobJournal } from '../printers/jobJournal';
import { ReceiptPrinter, type PrintResult } from '../printers/receiptPrinter';
import { HidScanner } from '../scanners/hidScanner';
import { SerialScanner } from '../scanners/serialScanner';
import { discoverPorts } from './discover';
import type { DeviceEventFrame, DeviceService } from './service';
import { SettingsStore } from './settingsStore';

type Running =
  | { readonly role: 'scanner'; readonly device: SerialScanner | HidScanner }
  | { readonly role: 'printer'; readonly device: ReceiptPrinter };

export interface DeviceManagerOptions {
  /** Folder for devices.json and the print-job journal (per terminal). */
  readonly settingsDir: string;
  readonly now?: () => Date;
  /** Called with problems nobody asked about (an unreadable settings file). */
  readonly warn?: (message: string) => void;
}

const TEST_PAGE_LIFETIME_MS = 5 * 60_000;

/**
 * The configured devices of one terminal: opens them, keeps them open, prints,
 * and streams scans and status. Implements the core device contract; every
 * failure comes back as a value with a message a cashier can act on.
 */
export class DeviceManager implements DeviceService {
  private readonly running = new Map<DeviceId, Running>();
  private readonly listeners = new Set<(event: DeviceEventFrame) => void>();
  private readonly now: () => Date;

  private constructor(
    private readonly store: SettingsStore,
    private settings: DeviceSettings,
    private readonly journal: JobJournal,
    now: () => Date,
  ) {
    this.now = now;
  }

  static async start(options: DeviceManagerOptions): Promise<DeviceManager> {
    const now = options.now ?? (() => new Date());
    const store = new SettingsStore(options.settingsDir);
    const { settings, warning } = await store.load(now());
    if (warning !== null) (options.warn ?? console.warn)(warning);
    const journal = await JobJournal.load(options.settingsDir);
    const manager = new DeviceManager(store, settings, journal, now);
    await Promise.all(settings.devices.map((d) => manager.startDevice(d)));
    return manager;
  }

  subscribe(listener: (event: DeviceEventFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((r) => r.device.close()));
    this.listeners.clear();
  }

  listDevices = async (_input: DeviceInput<'listDevices'>): Promise<DeviceResult<'listDevices'>> =>
    ok(this.list());

  discoverPorts = async (
    _input: DeviceInput<'discoverPorts'>,
  ): Promise<DeviceResult<'discoverPorts'>> => ok(await discoverPorts());

  saveDevice = async ({
    device,
  }: DeviceInput<'saveDevice'>): Promise<DeviceResult<'saveDevice'>> => {
    const others = this.settings.devices.filter((d) => d.id !== device.id);
    const next: DeviceSettings = {
      ...this.settings,
      devices: [...others, device],
      defaultPrinterId: this.settings.defaultPrinterId ?? (isPrinter(device) ? device.id : null),
    };
    const saved = await this.persist(next);
    if (!saved.ok) return saved;
    await this.stopDevice(device.id);
    await this.startDevice(device);
    return ok(this.statusOf(device.id) as DeviceStatus);
  };

  removeDevice = async ({
    deviceId,
  }: DeviceInput<'removeDevice'>): Promise<DeviceResult<'removeDevice'>> => {
    if (!this.configOf(deviceId)) return this.notFound(deviceId);
    const devices = this.settings.devices.filter((d) => d.id !== deviceId);
    const defaultPrinterId =
      this.settings.defaultPrinterId === deviceId
        ? (devices.find(isPrinter)?.id ?? null)
        : this.settings.defaultPrinterId;
    const saved = await this.persist({ ...this.settings, devices, defaultPrinterId });
    if (!saved.ok) return saved;
    await this.stopDevice(deviceId);
    return ok({ deviceId });
  };

  setDefaultPrinter = async ({
    printerId,
  }: DeviceInput<'setDefaultPrinter'>): Promise<DeviceResult<'setDefaultPrinter'>> => {
    const config = this.configOf(printerId);
    if (!config) return this.notFound(printerId);
    if (!isPrinter(config))
      return err('NOT_A_PRINTER', `${config.name} is a scanner, not a printer.`);
    const saved = await this.persist({ ...this.settings, defaultPrinterId: printerId });
    if (!saved.ok) return saved;
    return ok(this.list());
  };

  openDevice = async ({
    deviceId,
  }: DeviceInput<'openDevice'>): Promise<DeviceResult<'openDevice'>> => {
    const running = this.running.get(deviceId);
    if (!running) return this.notFound(deviceId);
    await running.device.open();
    return ok(this.statusOf(deviceId) as DeviceStatus);
  };

  closeDevice = async ({
    deviceId,
  }: DeviceInput<'closeDevice'>): Promise<DeviceResult<'closeDevice'>> => {
    const running = this.running.get(deviceId);
    if (!running) return this.notFound(deviceId);
    await running.device.close();
    return ok(this.statusOf(deviceId) as DeviceStatus);
  };

  printerStatus = async ({
    printerId,
  }: DeviceInput<'printerStatus'>): Promise<DeviceResult<'printerStatus'>> => {
    const printer = this.printer(printerId);
    if (!printer.ok) return printer;
    return printer.value.status();
  };

  printReceipt = async (
    input: DeviceInput<'printReceipt'>,
  ): Promise<DeviceResult<'printReceipt'>> => {
    const printer = this.printer(input.printerId);
    if (!printer.ok) return printer;
    const { config } = printer.value;
    const bytes = encodeReceipt(layoutPrintable(input.receipt, columnsFor(config.paperWidth)), {
      cut: config.cut,
      openDrawer: input.openDrawer,
    });
    const result = await printer.value.print({
      jobId: input.jobId,
      expiresAt: input.expiresAt,
      bytes,
    });
    return this.outcome(result, input.jobId, config);
  };

  testPrint = async ({
    printerId,
    jobId,
  }: DeviceInput<'testPrint'>): Promise<DeviceResult<'testPrint'>> => {
    const printer = this.printer(printerId);
    if (!printer.ok) return printer;
    const { config } = printer.value;
    const now = this.now();
    const layout = testPageLayout(
      { name: config.name, columns: columnsFor(config.paperWidth) },
      now.toISOString(),
    );
    const bytes = encodeReceipt(layout, { cut: config.cut, openDrawer: false });
    const expiresAt = new Date(now.getTime() + TEST_PAGE_LIFETIME_MS).toISOString();
    const result = await printer.value.print({ jobId, expiresAt, bytes });
    return this.outcome(result, jobId, config);
  };

  openDrawer = async ({
    printerId,
  }: DeviceInput<'openDrawer'>): Promise<DeviceResult<'openDrawer'>> => {
    const printer = this.printer(printerId);
    if (!printer.ok) return printer;
    const sent = await printer.value.send(new EscPosWriter().drawerPulse().bytes());
    if (!sent.ok) return sent;
    return ok({ printerId: printer.value.config.id });
  };

  private outcome(
    result: PrintResult,
    jobId: DeviceInput<'printReceipt'>['jobId'],
    config: PrinterConfig,
  ): DeviceResult<'printReceipt'> {
    if (!result.ok) return result;
    return ok({ jobId, printerId: config.id, outcome: result.value });
  }

  private list(): DeviceList {
    return {
      devices: this.settings.devices.map((d) => this.statusOf(d.id) as DeviceStatus),
      configs: this.settings.devices,
      defaultPrinterId: this.settings.defaultPrinterId,
    };
  }

  private printer(id: DeviceId | null): Result<ReceiptPrinter, DeviceErrorCode> {
    const printerId = id ?? this.settings.defaultPrinterId;
    if (printerId === null)
      return err('NO_PRINTER', 'No receipt printer is set up. Add one in device settings.');
    const running = this.running.get(printerId);
    if (!running) return this.notFound(printerId);
    if (running.role !== 'printer')
      return err('NOT_A_PRINTER', `${running.device.config.name} is a scanner, not a printer.`);
    return ok(running.device);
  }

  private notFound(id: string): Err<DeviceErrorCode> {
    return err(
      'NOT_FOUND',
      `No device "${id}" is configured on this terminal. Add it in device settings.`,
    );
  }

  private configOf(id: DeviceId): DeviceConfig | undefined {
    return this.settings.devices.find((d) => d.id === id);
  }

  private async persist(next: DeviceSettings): Promise<Result<true, DeviceErrorCode>> {
    try {
      await this.store.save(next);
    } catch (error) {
      return err(
        'SETTINGS_WRITE_FAILED',
        `Device settings could not be saved to ${this.store.path}: ${(error as Error).message}. Nothing was changed.`,
      );
    }
    this.settings = next;
    return ok(true);
  }

  private statusOf(id: DeviceId): DeviceStatus | undefined {
    const config = this.configOf(id);
    if (!config) return undefined;
    const running = this.running.get(id);
    const state: DeviceState = running?.device.state ?? { state: 'closed' };
    const printer: PrinterStatus | null =
      running?.role === 'printer' ? running.device.lastStatus : null;
    return {
      deviceId: config.id,
      name: config.name,
      kind: config.kind,
      state,
      printer,
      at: this.now().toISOString(),
    };
  }

  private emit(frame: DeviceEventFrame): void {
    for (const listener of this.listeners) {
      try {
        listener(frame);
      } catch (error) {
        console.error('device event listener failed', error);
      }
    }
  }

  private emitStatus(id: DeviceId): void {
    const status = this.statusOf(id);
    if (status) this.emit({ event: 'status', payload: status });
  }

  private async startDevice(config: DeviceConfig): Promise<void> {
    const onState = (): void => this.emitStatus(config.id);
    const scannerHooks = {
      onScan: (payload: ScanEvent) => this.emit({ event: 'scan', payload }),
      onState,
      now: this.now,
    };
    let running: Running;
    switch (config.kind) {
      case 'serial_scanner':
        running = { role: 'scanner', device: new SerialScanner(config, scannerHooks) };
        break;
      case 'hid_scanner':
        running = { role: 'scanner', device: new HidScanner(config, scannerHooks) };
        break;
      case 'serial_printer':
      case 'usb_printer':
      case 'tcp_printer':
        running = {
          role: 'printer',
          device: new ReceiptPrinter(config, {
            onState,
            onPrinterStatus: onState,
            onJob: (event) =>
              this.emit({
                event: 'job',
                payload: { ...event, printerId: config.id, at: this.now().toISOString() },
              }),
            now: this.now,
            journal: this.journal,
          }),
        };
        break;
      default:
        assertNever(config, 'device kind');
    }
    this.running.set(config.id, running);
    await running.device.open();
  }

  private async stopDevice(id: DeviceId): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    this.running.delete(id);
    await running.device.close();
  }
}
