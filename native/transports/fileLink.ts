import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Link, LinkHandlers } from './link';

/**
 * A USB printer class device (/dev/usb/lp0) opened as a file. Write-only:
 * no status comes back this way. Never created if missing: a missing device
 * node means the printer is unplugged, not that a file should appear. Opened
 * non-blocking so an absent reader (a FIFO with no printer behind it) fails
 * the open instead of hanging a thread.
 */
const WRITE_STALL_LIMIT_MS = 30_000;

export async function openFileLink(path: string, handlers: LinkHandlers): Promise<Link> {
  let handle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK);
  } catch (error) {
    throw new Error(`cannot open printer ${path}: ${(error as Error).message}`);
  }
  const file = handle;
  let closed = false;
  return {
    readable: false,
    write: async (bytes) => {
      try {
        let offset = 0;
        const giveUpAt = Date.now() + WRITE_STALL_LIMIT_MS;
        while (offset < bytes.length) {
          try {
            const { bytesWritten } = await file.write(bytes, offset);
            offset += bytesWritten;
          } catch (error) {
            // Non-blocking: a busy printer (or a full pipe) says EAGAIN; wait for it, within reason.
            if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > giveUpAt)
              throw error;
            await new Promise((r) => setTimeout(r, 10));
          }
        }
      } catch (error) {
        if (!closed)
          handlers.onLost(`printer ${path} stopped taking data: ${(error as Error).message}`);
        throw error;
      }
    },
    close: async () => {
      closed = true;
      await file.close();
    },
  };
}
