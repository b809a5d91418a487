import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import layers of DESIGN.md are lint errors. Each fixture is linted as if
 * it stood in the folder named below, so these tests prove the rules fire
 * (and do not fire on code that obeys them).
 */
const eslint = new ESLint({ cwd: process.cwd() });
const fixture = (name: string): string =>
  readFileSync(join('test', 'fixtures', 'lint', name), 'utf8');

async function restrictedImports(fixtureName: string, pretendPath: string): Promise<string[]> {
  const [result] = await eslint.lintText(fixture(fixtureName), { filePath: pretendPath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['core-imports-server.ts', 'core/leak.ts', /server\/ is another runtime layer/],
    ['core-imports-node.ts', 'core/read.ts', /no Node built-ins/],
    ['renderer-imports-native.ts', 'renderer/leak.ts', /native\/ is another runtime layer/],
    ['renderer-imports-sqlite.ts', 'renderer/db.ts', /better-sqlite3 is importable only in server\//],
    ['server-imports-serialport.ts', 'server/port.ts', /serialport is importable only in native\//],
    ['native-imports-electron.ts', 'native/app.ts', /electron is importable only in electron\//],
  ])('reports %s when it stands at %s', async (name, path, expected) => {
    const messages = await restrictedImports(name, path);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(expected);
  });

  it('lets core/ import its own modules and pure libraries', async () => {
    expect(await restrictedImports('core-allowed.ts', 'core/amount.ts')).toEqual([]);
  });

  it('lets the electron layer import electron', async () => {
    expect(await restrictedImports('native-imports-electron.ts', 'electron/app.ts')).toEqual([]);
  });
});
