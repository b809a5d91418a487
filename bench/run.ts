/**
 * `npm run bench` runs every bench/<area>.bench.ts; `npm run bench -- NAME`
 * runs the benches of one area. Each bench prints one JSON line per figure on
 * stdout ({"bench":"area.case.metric","value":N,"unit":"ms"}) and anything
 * else on stderr, so stdout can be collected as-is.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`No bench named ${unknown.join(', ')}. Benches: ${all.join(', ') || '(none yet)'}`);
  process.exit(2);
}
let failed = 0;
for (const area of wanted.length > 0 ? wanted : all) {
  console.error(`# bench ${area}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${area}.bench.ts`)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(`# bench ${area} failed (exit ${run.status ?? run.signal})`);
    failed += 1;
  }
}
process.exit(failed === 0 ? 0 : 1);
