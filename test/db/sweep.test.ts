import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { auditEvents, delegations, outbox, setupInvitations } from '../../src/db/schema.js';
import { provisionAccount, requestDelegation, sweepExpired } from '../../src/db/setupWorkflow.js';
import { emptyDatabase } from '../support/database.js';

let handle: DatabaseHandle;
beforeEach(async () => {
  handle = await emptyDatabase();
});

const DAY = 86_400_000;
const start = new Date('2026-11-23T09:00:00Z');
const ttls = { setupInviteMs: 30 * DAY, confirmMs: DAY };

async function accounts(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const made = await provisionAccount(
      handle.db,
      { name: `Account ${i}`, contractNumber: `C-${i}`, primaryContactUserId: `U${i}`, actor: 'api' },
      start,
      ttls,
    );
    if (!made.ok) throw new Error('provisioning failed');
    if (i % 3 === 0) {
      await requestDelegation(
        handle.db,
        {
          invitationId: made.invitation.id,
          actor: `U${i}`,
          invitee: { userId: `UINV${i}`, email: null, isBot: false, deactivated: false },
        },
        new Date(start.getTime() + 29.5 * DAY),
        ttls,
      );
    }
  }
}

describe('the expiry sweep', () => {
  it('two sweeps racing in small batches expire each invitation and its live delegation exactly once', async () => {
    await accounts(24);
    const due = new Date(start.getTime() + 30 * DAY);
    const [a, b] = await Promise.all([sweepExpired(handle.db, due, 5), sweepExpired(handle.db, due, 5)]);
    expect(a.setupInvitations + b.setupInvitations).toBe(24);
    const expired = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'setup_invitation.expired'));
    expect(new Set(expired.map((e) => e.subjectId)).size).toBe(24);
    expect(expired).toHaveLength(24);
    expect(await handle.db.select().from(delegations).where(eq(delegations.status, 'expired'))).toHaveLength(8);
    expect(await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'delegation.expired'))).toHaveLength(8);
    const redraws = (await handle.db.select().from(outbox)).filter((r) => r.key.startsWith('redraw:'));
    expect(redraws).toHaveLength(24 + 8);
    expect(await sweepExpired(handle.db, due, 5)).toEqual({ setupInvitations: 0, delegations: 0 });
  });

  it('touches nothing before the deadline', async () => {
    await accounts(3);
    expect(await sweepExpired(handle.db, new Date(start.getTime() + 30 * DAY - 1), 5)).toEqual({ setupInvitations: 0, delegations: 0 });
    expect(await handle.db.select().from(setupInvitations).where(eq(setupInvitations.status, 'pending'))).toHaveLength(3);
  });
});
