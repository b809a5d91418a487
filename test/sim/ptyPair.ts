import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A pair of connected pseudo-terminals made by socat, standing in for a
 * serial cable: the device under test opens `devicePath`, the test plays the
 * scanner or printer on `peerPath`. `unplug()` kills socat (both ends vanish,
 * like a USB-serial adapter pulled out); `plug()` brings them back at the
 * same paths.
 */
export class PtyPair {
  readonly devicePath: string;
  readonly peerPath: string;
  private child: ChildProcess | null = null;

  constructor(dir = mkdtempSync(join(tmpdir(), 'tillpoint-pty-'))) {
    this.devicePath = join(dir, 'device');
    this.peerPath = join(dir, 'peer');
  }

  async plug(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      'socat',
      [
        '-d',
        '-d',
        `pty,raw,echo=0,link=${this.devicePath}`,
        `pty,raw,echo=0,link=${this.peerPath}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    child.stderr?.resume();
    // socat reports "starting data transfer loop" once both links exist.
    const deadline = Date.now() + 10_000;
    while (!(existsSync(this.devicePath) && existsSync(this.peerPath))) {
      if (child.exitCode !== null) throw new Error(`socat exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('socat did not create the pty links');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async unplug(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    const deadline = Date.now() + 5_000;
    while (existsSync(this.devicePath) || existsSync(this.peerPath)) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
