import { SerialPort } from 'serialport';
import type { SerialLine } from '../../core/devices/config';
import type { Link, LinkHandlers } from './link';

/** Opens a serial port (or a pseudo-terminal standing in for one). */
export function openSerialLink(line: SerialLine, handlers: LinkHandlers): Promise<Link> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const port = new SerialPort({
      path: line.path,
      baudRate: line.baudRate,
      dataBits: line.dataBits,
      parity: line.parity,
      stopBits: line.stopBits,
      autoOpen: false,
    });
    port.on('data', (chunk: Buffer) => handlers.onData(chunk));
    port.on('close', () => {
      if (!closing) handlers.onLost(`serial port ${line.path} closed (cable unplugged?)`);
    });
    // Errors after opening also close the port; the close handler reports them.
    port.on('error', () => undefined);
    port.open((error) => {
      if (error) {
        reject(new Error(`cannot open serial port ${line.path}: ${error.message}`));
        return;
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
