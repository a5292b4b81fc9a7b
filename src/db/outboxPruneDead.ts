import { z } from 'zod';
import { openDatabase } from './client.js';
import { pruneDead } from './outbox.js';

/**
 * `npm run outbox:prune-dead [KEY_PREFIX]`: deletes dead outbox rows (all, or those whose key
 * starts with KEY_PREFIX) that an operator has decided not to retry. Pruning never takes them on
 * its own; the audit trail keeps what happened.
 */
const env = z.object({ DATABASE_URL: z.string().optional(), DATA_DIR: z.string().default('.data') }).parse(process.env);
const keyPrefix = process.argv[2];
const database = await openDatabase({ url: env.DATABASE_URL || undefined, dataDir: `${env.DATA_DIR}/pglite` });
const count = await pruneDead(database.db, keyPrefix);
await database.close();
console.log(`${count} dead outbox row(s) deleted${keyPrefix ? ` (keys starting with ${keyPrefix})` : ''}.`);
