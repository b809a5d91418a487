import { utilityProcess } from 'electron';
import type { ForkServer } from './serverProcess';

/**
 * Forks the bundled server as an Electron utility process: Electron's own Node runtime, so
 * better-sqlite3 loads under the one ABI npmRebuild built for, and the app needs no
 * ELECTRON_RUN_AS_NODE (its RunAsNode fuse stays off; electron-builder.yml).
 */
export const utilityFork: ForkServer = (modulePath, args, env) => {
  const child = utilityProcess.fork(modulePath, [...args], {
    env,
    stdio: 'pipe',
    serviceName: 'Tillpoint sync server',
  });
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    onExit(listener) {
      child.once('exit', (code) => listener(code, `exit code ${code}`));
    },
    kill(signal) {
      // kill() is SIGTERM on POSIX; the forced stop needs the pid.
      if (signal === 'SIGTERM' || child.pid === undefined) child.kill();
      else process.kill(child.pid, 'SIGKILL');
    },
  };
};
