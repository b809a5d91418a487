/**
 * Vitest global set-up. Suites that need shared servers (PostgreSQL) start
 * them from here so one server serves every test file of a run.
 */
export default function setup(): void {}
