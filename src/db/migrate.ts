import { z } from 'zod';
import { openDatabase } from './client.js';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
const env = z.object({ DATABASE_URL: z.string().optional(), DATA_DIR: z.string().default('.data') }).parse(process.env);
const database = await openDatabase({ url: env.DATABASE_URL || undefined, dataDir: `${env.DATA_DIR}/pglite` });
await database.migrate();
await database.close();
console.log(`Migrations applied (${database.kind}).`);
