import { asc } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { recordPosted } from '../../src/db/messages.js';
import { slackMessages } from '../../src/db/schema.js';
import { emptyDatabase } from '../support/database.js';

let handle: DatabaseHandle;
beforeEach(async () => {
  handle = await emptyDatabase();
});

const tick = new Date('2026-11-23T10:00:00Z');
const SUBJECT = '00000000-0000-0000-0000-0000000000a1';
const OTHER = '00000000-0000-0000-0000-0000000000b2';

const shown = async () =>
  (await handle.db.select().from(slackMessages).orderBy(asc(slackMessages.ts))).map((m) => [
    m.subjectId === SUBJECT ? 'subject' : 'other',
    m.channelId,
    m.ts,
    m.renderedVersion,
    m.movedToTs,
  ]);

describe('recording a posted message', () => {
  it('records it once, and points the older copies of it in the same channel (only) to it', async () => {
    const message = { surface: 'setup' as const, subjectId: SUBJECT, channelId: 'C0ONE', ts: '1.0', renderedVersion: 3 };
    await recordPosted(handle.db, message, tick);
    await recordPosted(handle.db, message, tick); // a row delivered again records nothing twice
    await recordPosted(handle.db, { ...message, channelId: 'C0TWO', ts: '1.5' }, tick);
    await recordPosted(handle.db, { ...message, subjectId: OTHER, ts: '1.7' }, tick);
    expect(await shown()).toEqual([
      ['subject', 'C0ONE', '1.0', 3, null],
      ['subject', 'C0TWO', '1.5', 3, null],
      ['other', 'C0ONE', '1.7', 3, null],
    ]);

    // Sent again into the first channel: its older copy there is drawn again, pointing here.
    await recordPosted(handle.db, { ...message, ts: '2.0', renderedVersion: 4 }, tick);
    expect(await shown()).toEqual([
      ['subject', 'C0ONE', '1.0', 0, '2.0'],
      ['subject', 'C0TWO', '1.5', 3, null],
      ['other', 'C0ONE', '1.7', 3, null],
      ['subject', 'C0ONE', '2.0', 4, null],
    ]);
    const [first] = await handle.db.select().from(slackMessages).orderBy(asc(slackMessages.ts));
    expect(first).toMatchObject({ surface: 'setup', teamId: null, postedAt: tick });
  });
});
