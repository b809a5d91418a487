import { describe, expect, it } from 'vitest';
import { runStartup, type StartupHost } from './startup';

/** Electron's dialog and app, as far as startup uses them: recorded. */
const recordingHost = () => {
  const seen: string[] = [];
  const host: StartupHost = {
    showError: (title, message) => seen.push(`dialog: ${title}: ${message}`),
    exit: (code) => seen.push(`exit ${code}`),
    log: (message) => seen.push(`log: ${message}`),
  };
  return { host, seen };
};

describe('starting the app', () => {
  it('does nothing more when the start succeeds', async () => {
    const { host, seen } = recordingHost();
    await runStartup(() => Promise.resolve(), host);
    expect(seen).toEqual([]);
  });

  it('shows why in an error dialog and exits 1 when the start is rejected', async () => {
    const { host, seen } = recordingHost();
    await runStartup(
      () => Promise.reject(new Error('The sync server bundle is missing: /x.')),
      host,
    );
    expect(seen).toEqual([
      'log: Tillpoint could not start',
      'dialog: Tillpoint could not start / Tillpoint 无法启动: The sync server bundle is missing: /x.',
      'exit 1',
    ]);
  });
});
