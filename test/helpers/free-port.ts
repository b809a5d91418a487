import { createServer, type AddressInfo } from 'node:net';

/**
 * A port free now on 127.0.0.1, for a server whose own address must be known before it starts
 * (the WeChat Pay notify URL in its configuration).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
