import { z } from 'zod';

/**
 * How the renderer finds its sync server, first match wins:
 * 1. `?server=URL` in the page address (a thin-client counter, a test);
 * 2. `config.json` served beside the app: {"serverUrl": "http://…"} (written by `npm start`);
 * 3. the address saved when the terminal was paired.
 * Returns null when neither 1 nor 2 says anything.
 */
export async function configuredServerUrl(): Promise<string | null> {
  const fromQuery = new URLSearchParams(location.search).get('server');
  if (fromQuery) return fromQuery;
  if (location.protocol === 'file:') return null;
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) return null;
    const parsed = AppConfig.safeParse(await response.json());
    return parsed.success ? parsed.data.serverUrl : null;
  } catch {
    return null;
  }
}

const AppConfig = z.object({ serverUrl: z.url() }).loose();
