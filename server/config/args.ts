import { parseArgs } from 'node:util';
import { loadConfig, type Override } from './load';
import type { ServerConfig } from './schema';

/** The command-line flags every command shares, each overriding one setting. */
const FLAGS = {
  config: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  demo: { type: 'boolean' },
  'wechatpay-config': { type: 'string' },
  'console-dir': { type: 'string' },
  'approval-limit-fen': { type: 'string' },
  'retention-days': { type: 'string' },
  'backup-dir': { type: 'string' },
  'backup-every-hours': { type: 'string' },
  'backup-keep': { type: 'string' },
  'print-config': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

const TARGETS: Readonly<Record<string, readonly [string, string]>> = {
  port: ['server', 'port'],
  host: ['server', 'host'],
  'data-dir': ['server', 'dataDir'],
  demo: ['server', 'demo'],
  'wechatpay-config': ['wechatpay', 'configFile'],
  'console-dir': ['server', 'consoleDir'],
  'approval-limit-fen': ['approvals', 'limitFen'],
  'retention-days': ['retention', 'days'],
  'backup-dir': ['backup', 'dir'],
  'backup-every-hours': ['backup', 'everyHours'],
  'backup-keep': ['backup', 'keep'],
};

export interface ParsedCommand {
  readonly config: ServerConfig;
  readonly positionals: readonly string[];
  readonly printConfig: boolean;
  readonly help: boolean;
}

/**
 * Reads the flags and the configuration they point at: `--config FILE` (or
 * TILLPOINT_CONFIG), then the TILLPOINT_… variables, then the flags. Throws a
 * ConfigError (or parseArgs' TypeError for an unknown flag).
 */
export function readCommand(args: readonly string[], env: NodeJS.ProcessEnv): ParsedCommand {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: FLAGS,
    allowPositionals: true,
    strict: true,
  });
  const overrides: Override[] = [];
  for (const [flag, path] of Object.entries(TARGETS)) {
    const value = values[flag as keyof typeof values];
    // A boolean flag can only switch a setting on; leaving it out keeps the file's value.
    if (value !== undefined && value !== false) overrides.push({ path, value, flag: `--${flag}` });
  }
  const file = values.config ?? (env['TILLPOINT_CONFIG'] || undefined);
  return {
    config: loadConfig(file, env, overrides),
    positionals,
    printConfig: values['print-config'] === true,
    help: values.help === true,
  };
}
