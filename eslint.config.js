// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

/**
 * The import layers of DESIGN.md, enforced here rather than remembered.
 * Each layer lists what it must never import; the messages say why, so a
 * failing lint run explains the architecture to whoever tripped it.
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** A relative import that climbs into another top-level folder of ours, e.g. '../../server/app'. */
const ourLayer = (name) => ({
  regex: `^(\\.\\./)+(.*/)?${name}(/|$)`,
  message: `${name}/ is another runtime layer; see the import rules in DESIGN.md.`,
});

const deviceLibs = ['node-hid', 'serialport', '@serialport/*'];
const dbLibs = ['better-sqlite3', 'pg', 'kysely'];

/** @param {string[]} packages @param {string} where */
const onlyIn = (packages, where) =>
  packages.map((name) => ({
    group: [name, `${name}/**`],
    message: `${name} is importable only in ${where} (DESIGN.md layers).`,
  }));

const layer = (/** @type {object[]} */ patterns, /** @type {string[]} */ paths = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({
        name,
        message: 'core/ and renderer/ run without Node: no Node built-ins here.',
      })),
      patterns,
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'test-results/**',
      'playwright-report/**',
      '.data/**',
      'test/fixtures/lint/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      ...layer(
        [
          ourLayer('server'),
          ourLayer('native'),
          ourLayer('electron'),
          ourLayer('renderer'),
          ourLayer('test'),
          ...onlyIn(['electron'], 'electron/'),
          ...onlyIn(deviceLibs, 'native/'),
          ...onlyIn(dbLibs, 'server/'),
          {
            group: ['react', 'react-dom', 'dexie', 'zustand', 'ws', 'fastify', 'pino'],
            message: 'core/ is pure: no UI, storage or network libraries.',
          },
        ],
        nodeBuiltins,
      ),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      ...layer(
        [
          ourLayer('server'),
          ourLayer('native'),
          ourLayer('electron'),
          ...onlyIn(['electron'], 'electron/'),
          ...onlyIn(deviceLibs, 'native/'),
          ...onlyIn(dbLibs, 'server/'),
        ],
        nodeBuiltins,
      ),
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/**/*.test.ts'],
    rules: layer([
      ourLayer('native'),
      ourLayer('electron'),
      ourLayer('renderer'),
      ...onlyIn(['electron'], 'electron/'),
      ...onlyIn(deviceLibs, 'native/'),
    ]),
  },
  {
    files: ['native/**/*.ts'],
    ignores: ['native/**/*.test.ts'],
    rules: layer([
      ourLayer('server'),
      ourLayer('electron'),
      ourLayer('renderer'),
      ...onlyIn(['electron'], 'electron/'),
      ...onlyIn(dbLibs, 'server/'),
    ]),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/**/*.test.ts'],
    rules: layer([ourLayer('server'), ourLayer('renderer'), ...onlyIn(dbLibs, 'server/')]),
  },
  {
    files: ['scripts/**/*.ts'],
    rules: layer([
      ...onlyIn(['electron'], 'electron/'),
      ...onlyIn(deviceLibs, 'native/'),
      ...onlyIn(dbLibs, 'server/'),
    ]),
  },
);
