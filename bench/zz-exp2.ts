import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { measureBackup } from './ops-measure';
import { problems } from './server-load';
import { json, startServerProcess } from './server-process';
const run = '/tmp/opsrun';
async function main() {
  execSync(`rm -rf ${run} && cp -r /tmp/opsexp ${run}`);
  const server = await startServerProcess(run, undefined, [
    '--backup-dir',
    `${run}/b`,
    '--backup-every-hours',
    '0',
  ]);
  try {
    const demo = JSON.parse(readFileSync(`${run}/demo.json`, 'utf8'));
    const session = await json<{ token: string }>(`${server.url}/v1/sessions`, {
      body: { kind: 'password', ...demo.managers[0] },
    });
    const t = await json<{ token: string; terminalId: string; store: { id: string } }>(
      `${server.url}/v1/terminals/pair`,
      { body: { pairingCode: demo.pairingCodes[1].code, name: 'exp' } },
    );
    await measureBackup(
      { url: server.url, token: t.token, terminalId: t.terminalId, storeId: t.store.id },
      session.token,
    );
  } finally {
    await server.stop();
  }
  console.error(problems);
}
void main();
