import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { SerialLine } from '../../core/devices/config';
import type { Link, LinkHandlers } from './link';

/** How often an open port's device node is looked for (a pulled adapter takes it away). */
const PRESENCE_CHECK_MS = 1_000;

/**
 * Opens a serial port (or a pseudo-terminal standing in for one). The port's own close event is
 * not enough to notice a pulled cable: on Linux it may never come while nothing is read or
 * written (serialport/node-serialport#2043, #1330), so where the port is a device node
 * (/dev/ttyUSB0) its presence is checked every second as well.
 */
export function openSerialLink(line: SerialLine, handlers: LinkHandlers): Promise<Link> {
  return new Promise((resolve, reject) => {
    let closing = false;
    let lost = false;
    let watch: ReturnType<typeof setInterval> | null = null;
    const stopWatch = (): void => {
      if (watch !== null) clearInterval(watch);
      watch = null;
    };
    const loseOnce = (reason: string): void => {
      stopWatch();
      if (closing || lost) return;
      lost = true;
      handlers.onLost(reason);
    };
    const port = new SerialPort({
      path: line.path,
      baudRate: line.baudRate,
      dataBits: line.dataBits,
      parity: line.parity,
      stopBits: line.stopBits,
      autoOpen: false,
    });
    port.on('data', (chunk: Buffer) => handlers.onData(chunk));
    port.on('close', () => loseOnce(`serial port ${line.path} closed (cable unplugged?)`));
    // Errors after opening also close the port; the close handler reports them.
    port.on('error', () => undefined);
    port.open((error) => {
      if (error) {
        reject(new Error(`cannot open serial port ${line.path}: ${error.message}`));
        return;
      }
      if (line.path.startsWith('/')) {
        watch = setInterval(() => {
          if (existsSync(line.path)) return;
          loseOnce(`serial port ${line.path} is gone (cable unplugged?)`);
          // The port's descriptor points at nothing now; closing it frees it for the reconnect.
          if (port.isOpen) port.close(() => undefined);
        }, PRESENCE_CHECK_MS);
        watch.unref();
      }
      resolve({
        readable: true,
        write: (bytes) =>
          new Promise<void>((done, fail) => {
            if (!port.isOpen) {
              fail(new Error(`serial port ${line.path} is not open`));
              return;
            }
            port.write(Buffer.from(bytes), (writeError) => {
              if (writeError) {
                fail(writeError);
                return;
              }
              port.drain((drainError) => (drainError ? fail(drainError) : done()));
            });
          }),
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            stopWatch();
            if (!port.isOpen) {
              done();
              return;
            }
            port.close(() => done());
          }),
      });
    });
  });
}
