/** `npm run build:server`: bundles the sync server into dist/server/cli.js. */
import { buildServerBundle } from './server-bundle';

console.error(`built ${await buildServerBundle()}`);
