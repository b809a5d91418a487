/** The parts of Electron that starting and failing to start need (app, dialog). */
export interface StartupHost {
  showError(title: string, message: string): void;
  exit(code: number): void;
  log(message: string, error: unknown): void;
}

/**
 * Runs the app's start; if it rejects, says why in an error dialog (a till has nobody watching
 * a terminal) and exits 1, so a service manager or the cashier sees it failed. Resolves either way.
 */
export async function runStartup(start: () => Promise<void>, host: StartupHost): Promise<void> {
  try {
    await start();
  } catch (error) {
    host.log('Tillpoint could not start', error);
    const reason = error instanceof Error ? error.message : String(error);
    host.showError('Tillpoint could not start / Tillpoint 无法启动', reason);
    host.exit(1);
  }
}
