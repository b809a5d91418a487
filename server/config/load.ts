import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { SECRET_SETTINGS, ServerConfig } from './schema';

type Path = readonly [section: string, key: string];

/**
 * The environment variables that override the config file (README "Configuration" lists
 * them). Each may instead be given as NAME_FILE, the path of a file holding the value, so a
 * secret stays out of the environment that child processes inherit. `legacy` names are the
 * variables this server read before the config file existed; they still work, below TILLPOINT_…
 */
export const ENVIRONMENT: readonly { env: string; path: Path; legacy?: readonly string[] }[] = [
  { env: 'TILLPOINT_HOST', path: ['server', 'host'], legacy: ['HOST'] },
  { env: 'TILLPOINT_PORT', path: ['server', 'port'], legacy: ['PORT'] },
  { env: 'TILLPOINT_DATA_DIR', path: ['server', 'dataDir'] },
  { env: 'TILLPOINT_DEMO', path: ['server', 'demo'] },
  { env: 'TILLPOINT_DATABASE_URL', path: ['database', 'url'], legacy: ['DATABASE_URL'] },
  { env: 'TILLPOINT_SQLITE_SYNCHRONOUS', path: ['database', 'sqliteSynchronous'] },
  { env: 'TILLPOINT_LOG_LEVEL', path: ['log', 'level'], legacy: ['LOG_LEVEL'] },
  { env: 'TILLPOINT_CONSOLE_DIR', path: ['server', 'consoleDir'] },
  { env: 'TILLPOINT_TRUST_PROXY', path: ['server', 'trustProxy'] },
  { env: 'TILLPOINT_APPROVAL_LIMIT_FEN', path: ['approvals', 'limitFen'] },
  { env: 'TILLPOINT_BACKUP_DIR', path: ['backup', 'dir'] },
  { env: 'TILLPOINT_BACKUP_EVERY_HOURS', path: ['backup', 'everyHours'] },
  { env: 'TILLPOINT_BACKUP_KEEP', path: ['backup', 'keep'] },
  { env: 'TILLPOINT_RETENTION_DAYS', path: ['retention', 'days'] },
  { env: 'TILLPOINT_DISK_MIN_FREE_MB', path: ['disk', 'minFreeMb'] },
  { env: 'TILLPOINT_METRICS_TOKEN', path: ['metrics', 'token'] },
  { env: 'TILLPOINT_METRICS_LOOPBACK', path: ['metrics', 'loopback'] },
  {
    env: 'TILLPOINT_WECHATPAY_CONFIG_FILE',
    path: ['wechatpay', 'configFile'],
    legacy: ['WECHATPAY_CONFIG_FILE'],
  },
];

/** Settings that an environment variable gives as text: true/false/1/0. */
const BOOLEANS: ReadonlySet<string> = new Set(['server.demo', 'metrics.loopback']);

/** A setting given on the command line, which wins over the environment and the file. */
export interface Override {
  readonly path: Path;
  readonly value: unknown;
  /** How the user wrote it, for an error: `--port`. */
  readonly flag: string;
}

/** The config is wrong: the message names where (file and line, variable or flag) and what was expected. */
export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;
type Tree = Record<string, Record<string, unknown>>;

/**
 * The effective configuration: defaults, then the YAML file (if any), then
 * the environment, then the command line; validated as a whole.
 */
export function loadConfig(
  file: string | undefined,
  env: Env,
  overrides: readonly Override[] = [],
): ServerConfig {
  const lines = new LineCounter();
  let doc: Document | null = null;
  let tree: Tree = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(
        `config file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const first = doc.errors[0];
    if (first) {
      const at = lines.linePos(first.pos[0]);
      throw new ConfigError(
        `${file}:${at.line}: not valid YAML: ${first.message.split('\n')[0] ?? ''}`,
      );
    }
    const js: unknown = doc.toJS() ?? {};
    if (typeof js !== 'object' || js === null || Array.isArray(js))
      throw new ConfigError(`${file}:1: expected a mapping of sections (server:, database:, …)`);
    tree = js as Tree;
  }
  const origin = new Map<string, string>();
  const set = (path: Path, value: unknown, from: string) => {
    const section = tree[path[0]];
    tree[path[0]] = {
      ...(typeof section === 'object' && section !== null ? section : {}),
      [path[1]]: value,
    };
    origin.set(path.join('.'), from);
  };
  for (const { env: name, path, legacy = [] } of ENVIRONMENT) {
    const found = fromEnvironment(env, [name, ...legacy]);
    if (found)
      set(path, BOOLEANS.has(path.join('.')) ? asBoolean(found.value) : found.value, found.from);
  }
  for (const o of overrides) set(o.path, o.value, o.flag);

  const parsed = ServerConfig.safeParse(tree);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => describe(issue, file, doc, lines, origin));
  throw new ConfigError(`the configuration is not valid:\n  ${problems.join('\n  ')}`);
}

/** NAME, else NAME_FILE's contents (trailing newline dropped), else the legacy names. */
function fromEnvironment(
  env: Env,
  names: readonly string[],
): { value: string; from: string } | null {
  for (const name of names) {
    const value = env[name];
    if (value) return { value, from: `environment variable ${name}` };
    const file = env[`${name}_FILE`];
    if (file) {
      try {
        return {
          value: readFileSync(file, 'utf8').replace(/\r?\n$/, ''),
          from: `file ${file} (${name}_FILE)`,
        };
      } catch (e) {
        throw new ConfigError(
          `${name}_FILE names ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
  }
  return null;
}

function asBoolean(text: string): unknown {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return text;
}

/** Where an issue lies (flag, variable, or file and line) and what was expected there. */
function describe(
  issue: z.core.$ZodIssue,
  file: string | undefined,
  doc: Document | null,
  lines: LineCounter,
  origin: ReadonlyMap<string, string>,
): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(path);
    const where = issue.keys.map(
      (key) =>
        `${locate(file, doc, lines, [...path, key], true)}: unknown key "${[...path, key].join('.')}"`,
    );
    return `${where.join('; ')} (expected one of: ${known.join(', ')})`;
  }
  const from = origin.get(path.join('.'));
  const where = from ?? locate(file, doc, lines, path, false);
  return `${where}: ${path.join('.') || '(root)'}: ${issue.message}`;
}

/** file:line of the key (or its value) at `path` in the YAML file. */
function locate(
  file: string | undefined,
  doc: Document | null,
  lines: LineCounter,
  path: string[],
  key: boolean,
): string {
  if (!doc || file === undefined) return 'the configuration';
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === path.at(-1));
    const node = key ? pair?.key : pair?.value;
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return `${file}:${lines.linePos(range[0]).line}`;
  }
  return file;
}

function knownKeys(path: readonly string[]): string[] {
  const shape = ServerConfig.shape;
  if (path.length === 0) return Object.keys(shape);
  const section = shape[path[0] as keyof typeof shape];
  const inner = (section as unknown as { unwrap?: () => { shape?: object } }).unwrap?.();
  return Object.keys(inner?.shape ?? {});
}

/** The configuration as --print-config shows it: every secret masked. */
export function printable(config: ServerConfig): Tree {
  const copy = JSON.parse(JSON.stringify(config)) as Tree;
  for (const [section, key] of SECRET_SETTINGS) {
    const s = copy[section];
    if (s && s[key] !== undefined) s[key] = '********';
  }
  return copy;
}
