import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, matchesGlob, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../electron-builder.config';
import { buildElectron } from '../../electron/build';
import { buildServerBundle } from '../../scripts/server-bundle';

const REPO = join(import.meta.dirname, '..', '..');
/** Inside the repository, as the packaged layout is: dist/electron beside dist/server. */
const OUT = join(REPO, 'dist', `test-builder-${process.pid}`);

const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** electron-builder's file patterns (minimatch, `!` excludes, last match wins). */
const packs = (patterns: readonly string[], path: string): boolean => {
  let included = false;
  for (const p of patterns)
    if (p.startsWith('!')) {
      if (matchesGlob(path, p.slice(1))) included = false;
    } else if (matchesGlob(path, p)) included = true;
  return included;
};
const files = (config.files ?? []) as string[];
const unpacked = (config.asarUnpack ?? []) as string[];

/** The packages a bundle imports at run time: what electron-builder must ship in node_modules. */
const bareImports = (source: string): string[] => {
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const names = [...source.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/gm)]
    .map((m) => m[1] ?? '')
    .filter((n) => !n.startsWith('.') && !builtins.has(n))
    .map((n) => (n.startsWith('@') ? n.split('/').slice(0, 2).join('/') : (n.split('/')[0] ?? n)));
  return [...new Set(names)].sort();
};

async function nativeAddons(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile() && entry.name.endsWith('.node'))
      found.push(relative(REPO, join(entry.parentPath, entry.name)));
  return found;
}

beforeAll(async () => {
  await buildElectron(join(OUT, 'electron'));
  await buildServerBundle(join(OUT, 'server'));
}, 120_000);
afterAll(() => rm(OUT, { recursive: true, force: true }));

describe('the packaged app', () => {
  it('packs main, the preload, the renderer and the server bundle, without source maps', () => {
    for (const path of [
      'dist/electron/main.js',
      'dist/electron/preload.cjs',
      'dist/renderer/index.html',
      'dist/renderer/assets/index-abc.js',
      'dist/server/cli.js',
      'package.json',
    ])
      expect(packs(files, path), path).toBe(true);
    expect(packs(files, 'dist/server/cli.js.map')).toBe(false);
    expect(packs(files, 'server/cli.ts')).toBe(false);
    expect(packs(files, '.data/server/tillpoint.db')).toBe(false);
  });

  it('unpacks every native addon of better-sqlite3, node-hid and serialport from the archive', async () => {
    const addons = [
      ...(await nativeAddons(join(REPO, 'node_modules', 'better-sqlite3'))),
      ...(await nativeAddons(join(REPO, 'node_modules', 'node-hid'))),
      ...(await nativeAddons(join(REPO, 'node_modules', '@serialport', 'bindings-cpp'))),
    ];
    expect(addons.some((a) => a.includes('better_sqlite3.node'))).toBe(true);
    expect(addons.some((a) => a.includes('node-hid'))).toBe(true);
    for (const addon of addons) expect(packs(unpacked, addon), addon).toBe(true);
    // …and rebuilds them for Electron's ABI, the one ABI of main and the utility-process server.
    expect(config.npmRebuild).toBe(true);
  });

  it('turns the Electron fuses that the app does not need off', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds an AppImage, a .deb with the scanner udev rule, and a Windows installer', async () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toBe('nsis');
    expect(config.linux?.extraResources).toEqual([
      { from: 'packaging/linux/60-tillpoint-pos.rules', to: 'udev/60-tillpoint-pos.rules' },
    ]);
    const rule = await readFile(join(REPO, 'packaging/linux/60-tillpoint-pos.rules'), 'utf8');
    expect(rule).toMatch(/^SUBSYSTEM=="hidraw", .*TAG\+="uaccess"$/m);
    const script = await readFile(join(REPO, config.deb?.afterInstall ?? ''), 'utf8');
    expect(script).toContain('/etc/udev/rules.d/60-tillpoint-pos.rules');
    expect((await stat(join(REPO, 'packaging/linux/after-install.sh'))).mode & 0o111).not.toBe(0);
  });

  it('ships every package main and the server import as a production dependency', async () => {
    const main = bareImports(await readFile(join(OUT, 'electron', 'main.js'), 'utf8'));
    const server = bareImports(await readFile(join(OUT, 'server', 'cli.js'), 'utf8'));
    expect(main).toContain('node-hid');
    expect(server).toContain('better-sqlite3');
    // electron is the runtime itself, and only a dev dependency.
    for (const name of [...main, ...server].filter((n) => n !== 'electron'))
      expect(pkg.dependencies, name).toHaveProperty([name]);
    expect(pkg.devDependencies).toHaveProperty(['electron-builder']);
    expect(pkg.dependencies).not.toHaveProperty(['electron']);
  });

  it('keeps the preload small: no zod, a few kilobytes', async () => {
    const preload = await readFile(join(OUT, 'electron', 'preload.cjs'), 'utf8');
    expect(bareImports(preload)).toEqual([]);
    expect(preload).toContain('require("electron")');
    expect(preload).not.toMatch(/ZodType|\$ZodError/);
    expect(Buffer.byteLength(preload)).toBeLessThan(10_000);
  });
});
