import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the run's throwaway PostgreSQL; each test file creates its own database. */
    pgUrl: string;
  }
}

/**
 * Vitest global set-up: one throwaway PostgreSQL serves every test file of a
 * run (test/server runs each endpoint suite against it as well as SQLite).
 * If it cannot start, the run fails here with the reason; nothing is skipped.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const pg = await startThrowawayPostgres();
  project.provide('pgUrl', pg.url);
  return () => pg.stop();
}
