import { z } from 'zod';
import { openDatabase } from './client.js';
import { retryDead } from './outbox.js';

/**
 * `npm run outbox:retry [KEY_PREFIX]`: puts dead outbox rows back in the queue, after the cause
 * (a revoked token, an archived channel…) has been fixed. A running Vouch delivers them.
 */
const env = z.object({ DATABASE_URL: z.string().optional(), DATA_DIR: z.string().default('.data') }).parse(process.env);
const keyPrefix = process.argv[2];
const database = await openDatabase({ url: env.DATABASE_URL || undefined, dataDir: `${env.DATA_DIR}/pglite` });
const count = await retryDead(database.db, new Date(), keyPrefix);
await database.close();
console.log(`${count} dead outbox row(s) queued again${keyPrefix ? ` (keys starting with ${keyPrefix})` : ''}.`);
