import type { LaunchConfig, WindowRole } from '../core/desktop/launch';
import { LaunchConfig as LaunchConfigSchema } from '../core/desktop/launch-schema';
import { err, ok, type Result } from '../core/result';

/**
 * Where the app's sync server is: `bundled`, started by the app in single-store mode, or
 * `chain`, the chain's server at TILLPOINT_CHAIN_URL (then the app starts none).
 */
export type ServerPlan =
  { readonly kind: 'bundled' } | { readonly kind: 'chain'; readonly url: string };

export function serverPlan(env: NodeJS.ProcessEnv): Result<ServerPlan, 'BAD_CHAIN_URL'> {
  const url = env['TILLPOINT_CHAIN_URL']?.trim() ?? '';
  if (url === '') return ok({ kind: 'bundled' });
  const parsed = LaunchConfigSchema.safeParse({
    serverUrl: url,
    deviceMode: 'none',
    deviceHostUrl: null,
    role: 'customer',
  });
  return parsed.success
    ? ok({ kind: 'chain', url })
    : err('BAD_CHAIN_URL', `TILLPOINT_CHAIN_URL is not an http(s) address: "${url}".`);
}

/**
 * The configuration one window gets through its preload: the cashier window the device bridge,
 * the customer display none. Checked with the core schema before it leaves main.
 */
export function windowLaunch(role: WindowRole, serverUrl: string): LaunchConfig {
  return LaunchConfigSchema.parse({
    serverUrl,
    deviceMode: role === 'cashier' ? 'ipc' : 'none',
    deviceHostUrl: null,
    role,
  });
}

/** The page each window loads: one app, told its role by the preload and by `?role=`. */
export function windowUrl(appUrl: string, role: WindowRole): string {
  return role === 'cashier' ? appUrl : `${appUrl}?role=customer`;
}
