import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startWechatPaySimulator } from './index';

/**
 * Runs the WeChat Pay simulator as its own process:
 *
 *   tsx server/payments/simulator/cli.ts [--port 0] [--host 127.0.0.1]
 *       [--config-dir DIR] [--notify-url URL] [--refund-notify-url URL]
 *       [--key-mode public-key|platform-certificate|both]
 *
 * It writes the merchant configuration for this run (wechatpay.json, with
 * the generated private key beside it in merchant_key.pem, both mode 0600)
 * into DIR (a new temporary folder by default) and prints two lines on stdout:
 *   WECHATPAY_SIMULATOR_LISTENING http://127.0.0.1:PORT
 *   WECHATPAY_SIMULATOR_CONFIG DIR/wechatpay.json
 * Keys are made at start and exist only in that folder and this process.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'config-dir': { type: 'string' },
    'notify-url': { type: 'string', default: 'http://127.0.0.1:8787/v1/payments/wechat/notify' },
    'refund-notify-url': { type: 'string' },
    'key-mode': { type: 'string', default: 'public-key' },
  },
  strict: true,
});

const keyMode = values['key-mode'];
if (keyMode !== 'public-key' && keyMode !== 'platform-certificate' && keyMode !== 'both') {
  console.error('--key-mode must be public-key, platform-certificate or both');
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error('--port must be a whole number from 0 to 65535');
  process.exit(2);
}

const sim = await startWechatPaySimulator({ port, host: values.host });
const dir = values['config-dir'] ?? mkdtempSync(join(tmpdir(), 'wechatpay-sim-'));
mkdirSync(dir, { recursive: true });
const keyFile = join(dir, 'merchant_key.pem');
writeFileSync(keyFile, sim.keys.merchantPrivateKeyPem ?? '', { mode: 0o600 });
const config = sim.merchantConfig({
  notifyUrl: values['notify-url'],
  ...(values['refund-notify-url'] !== undefined && {
    refundNotifyUrl: values['refund-notify-url'],
  }),
  keyMode,
  privateKeyFile: keyFile,
});
const configFile = join(dir, 'wechatpay.json');
writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

console.log(`WECHATPAY_SIMULATOR_LISTENING ${sim.url}`);
console.log(`WECHATPAY_SIMULATOR_CONFIG ${configFile}`);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
