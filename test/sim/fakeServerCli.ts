/**
 * Stands in for server/cli.ts when testing how Electron main starts the
 * bundled server: logs a line, then reports its URL like the real one. With
 * --fail it exits before becoming ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

if (process.argv.includes('--fail')) {
  console.error('cannot open database: disk full');
  process.exit(3);
}
const server = createServer((_req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => {
  console.log('opening database');
  console.log(
    `TILLPOINT_SERVER_LISTENING http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
