import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEVICE_MODES, WINDOW_ROLES, type LaunchConfig as Config } from './launch';
import { LaunchConfig } from './launch-schema';
import { checkLaunchConfig, launchArgument, readLaunchArgument } from './launch-arg';

const cashier: Config = {
  serverUrl: 'http://127.0.0.1:43127',
  deviceMode: 'ipc',
  deviceHostUrl: null,
  role: 'cashier',
};

/** Values near the valid ones, so both checks see many of each verdict. */
const urlish = fc.oneof(
  fc.constantFrom(
    'http://127.0.0.1:43127',
    'https://chain.example.cn',
    ' http://10.0.0.2:8080/ ',
    'ws://127.0.0.1:9000/devices?token=t',
    'wss://host',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://',
    '',
    'not a url',
  ),
  fc.webUrl(),
  fc.string(),
);
const candidate = fc.record(
  {
    serverUrl: fc.oneof(fc.constant(null), urlish),
    deviceMode: fc.oneof(fc.constantFrom(...DEVICE_MODES), fc.string()),
    deviceHostUrl: fc.oneof(fc.constant(null), urlish),
    role: fc.oneof(fc.constantFrom(...WINDOW_ROLES), fc.string()),
    extra: fc.string(),
  },
  { requiredKeys: ['deviceMode', 'role'] },
);

describe('the launch argument', () => {
  it('carries a configuration from main to the preload unchanged', () => {
    const argv = ['/opt/Tillpoint/tillpoint', '--type=renderer', launchArgument(cashier)];
    expect(readLaunchArgument(argv)).toEqual(cashier);
  });

  it('is null when the switch is missing or garbled', () => {
    expect(readLaunchArgument(['--type=renderer'])).toBeNull();
    expect(readLaunchArgument(['--tillpoint-launch=%7Bnope'])).toBeNull();
    expect(readLaunchArgument(['--tillpoint-launch=%5B%5D'])).toBeNull();
  });

  it('refuses devices for the customer display', () => {
    expect(checkLaunchConfig({ ...cashier, role: 'customer' })).toBeNull();
    expect(checkLaunchConfig({ ...cashier, role: 'customer', deviceMode: 'none' })).toEqual({
      ...cashier,
      role: 'customer',
      deviceMode: 'none',
    });
  });

  it('gives the same verdict and value as the core schema, for any input', () => {
    fc.assert(
      fc.property(candidate, (value) => {
        const parsed = LaunchConfig.safeParse(value);
        expect(checkLaunchConfig(value)).toEqual(parsed.success ? parsed.data : null);
      }),
      { numRuns: 2_000 },
    );
  });
});
