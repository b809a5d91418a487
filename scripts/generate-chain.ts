/**
 * `npm run generate-chain -- --data-dir DIR [--postgres URL] [--scale 1]`: fills an empty
 * database with a realistic chain (server/seed/chain.ts): 500 stores, 200 batches, 2,000,000
 * claims, 1,000,000 redemptions and 1,000,000 sales over the last 180 days, with the report
 * aggregates. --scale 0.01 makes a hundredth of it. Then `npm run server -- --data-dir DIR`
 * (or DATABASE_URL=URL) and log in to the console as admin / tillpoint-admin.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHAIN_MANAGER, generateChain } from '../server/seed/chain';

const USAGE = 'usage: npm run generate-chain -- --data-dir DIR [--postgres URL] [--scale 1]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      postgres: { type: 'string' },
      scale: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  const scale = Number(values.scale);
  if (values.help || values['data-dir'] === undefined || !(scale > 0 && scale <= 1)) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const summary = await generateChain({
    dataDir: resolve(values['data-dir']),
    databaseUrl: values.postgres,
    scale,
    progress: (line) => console.error(`# ${line}`),
  });
  console.error(
    `# generated in ${summary.seconds.toFixed(1)} s; console login ${CHAIN_MANAGER.username} / ${CHAIN_MANAGER.password}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
