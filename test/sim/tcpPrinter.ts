import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PrinterSim } from './printerSim';

/** A network receipt printer on 127.0.0.1, an ephemeral port, speaking raw TCP like port 9100. */
export async function startTcpPrinter(): Promise<{
  port: number;
  sim: PrinterSim;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const sim = new PrinterSim((bytes) => {
    for (const s of sockets) s.write(bytes);
  });
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => sim.receive(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sim,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
