import { readFileSync } from 'node:fs';
import type { PaymentLog } from './wechat/http-client';
import { parseWechatPayConfig, wechatPayConfigFromEnv } from './wechat/config';
import { createWechatPayV3Provider } from './wechat/provider';
import type { PaymentsOptions } from './service';

/**
 * The server's WeChat Pay from its environment: a JSON file named by WECHATPAY_CONFIG_FILE (or
 * `--wechatpay-config`), else the WECHATPAY_* variables (README.md "Configuration"); undefined
 * when neither is given. A configuration that is given but wrong throws, naming the field and
 * never its value, so the server does not start half-configured.
 */
export function paymentsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  configFile: string | undefined,
  log: PaymentLog,
): PaymentsOptions | undefined {
  const file = configFile ?? (env['WECHATPAY_CONFIG_FILE'] || undefined);
  const given = Object.entries(env).some(
    ([name, value]) => name.startsWith('WECHATPAY_') && name !== 'WECHATPAY_CONFIG_FILE' && value,
  );
  if (file === undefined && !given) return undefined;
  let loaded;
  if (file === undefined) loaded = wechatPayConfigFromEnv(env);
  else {
    let input: unknown;
    try {
      input = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(
        `WeChat Pay configuration ${file} could not be read as JSON (${e instanceof SyntaxError ? 'not JSON' : ((e as NodeJS.ErrnoException).code ?? 'unreadable')})`,
      );
    }
    loaded = parseWechatPayConfig(input);
  }
  if (!loaded.ok) throw new Error(`WeChat Pay configuration: ${loaded.message}`);
  return { provider: createWechatPayV3Provider(loaded.value, { log }) };
}
