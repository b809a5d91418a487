import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DeviceSettings, EMPTY_DEVICE_SETTINGS } from '../../core/devices/config';
import { writeFileAtomic } from './atomicFile';

export const SETTINGS_FILE = 'devices.json';

/**
 * The terminal's device settings, one JSON file in the settings folder.
 * A file that no longer parses is moved aside (never silently overwritten),
 * so a person can still recover what it held.
 */
export class SettingsStore {
  constructor(readonly dir: string) {}

  get path(): string {
    return join(this.dir, SETTINGS_FILE);
  }

  async load(now: Date): Promise<{ settings: DeviceSettings; warning: string | null }> {
    await mkdir(this.dir, { recursive: true });
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { settings: EMPTY_DEVICE_SETTINGS, warning: null };
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = DeviceSettings.safeParse(json);
    if (parsed.success) return { settings: parsed.data, warning: null };
    const aside = `${this.path}.unreadable-${now.toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside);
    return {
      settings: EMPTY_DEVICE_SETTINGS,
      warning: `Device settings in ${this.path} could not be read and were moved to ${aside}; configure the devices again.`,
    };
  }

  save(settings: DeviceSettings): Promise<void> {
    return writeFileAtomic(this.path, `${JSON.stringify(settings, null, 2)}\n`);
  }
}
