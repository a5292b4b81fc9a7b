// Installs in PostgreSQL (db/installations.ts) and the seal on their tokens (db/tokenCipher.ts);
// the one-time OAuth state (db/oauthStates.ts, bot/installations/stateStore.ts).
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidInstallStateError, OneTimeStateStore } from '../../src/bot/installations/stateStore.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { candidateKeys, InstallationRecords, type NewInstallation } from '../../src/db/installations.js';
import { oauthStates, slackInstallations } from '../../src/db/schema.js';
import { decodeKey, TokenCipher, TokenCipherError } from '../../src/db/tokenCipher.js';
import { TestClock } from '../support/clock.js';
import { emptyDatabase } from '../support/database.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);

const acme: NewInstallation = {
  teamId: 'T0ACME',
  teamName: 'Acme',
  enterpriseId: null,
  enterpriseName: null,
  enterpriseUrl: null,
  isEnterpriseInstall: false,
  appId: 'A0VOUCH',
  botId: 'B0ACME',
  botUserId: 'U0ACMEBOT',
  botScopes: ['chat:write', 'commands'],
  installerUserId: 'U0PAT',
  botToken: 'xoxe.xoxb-1-acme-token',
  botRefreshToken: 'xoxe-1-acme-refresh',
  botTokenExpiresAt: new Date('2026-11-23T21:00:00Z'),
};

describe('TokenCipher', () => {
  it('seals with AES-256-GCM, a fresh nonce each time, bound to what the token belongs to', () => {
    const cipher = new TokenCipher(keyA);
    const one = cipher.seal('xoxb-secret', 'team:T1');
    const two = cipher.seal('xoxb-secret', 'team:T1');
    expect(one).not.toBe(two);
    expect(one).not.toContain('secret');
    expect(one).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(cipher.open(one, 'team:T1')).toBe('xoxb-secret');
    expect(() => cipher.open(one, 'team:T2')).toThrow(TokenCipherError);
    const [v, id, nonce, tag, body] = one.split('.');
    const flipped = `${body![0] === 'A' ? 'B' : 'A'}${body!.slice(1)}`;
    expect(() => cipher.open([v, id, nonce, tag, flipped].join('.'), 'team:T1')).toThrow(/does not open/);
    expect(() => new TokenCipher(keyB).open(one, 'team:T1')).toThrow(/a key this Vouch does not have/);
  });

  it('opens what an older key sealed, and says it is worth sealing again', () => {
    const old = new TokenCipher(keyA).seal('xoxb-secret', 'team:T1');
    const rotated = new TokenCipher(keyB, [keyA]);
    expect(rotated.open(old, 'team:T1')).toBe('xoxb-secret');
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.isCurrent(rotated.seal('x', 'team:T1'))).toBe(true);
  });

  it('takes keys of exactly 32 bytes in base64', () => {
    expect(decodeKey(keyA.toString('base64'))).toEqual(keyA);
    expect(decodeKey(randomBytes(31).toString('base64'))).toBeNull();
    expect(decodeKey(keyA.toString('hex'))).toBeNull();
  });
});

describe('InstallationRecords', () => {
  let database: DatabaseHandle;
  const now = new Date('2026-11-23T09:00:00Z');
  beforeEach(async () => {
    database = await emptyDatabase();
  });

  it('stores an install with its tokens sealed, a reinstall updates the row and ends a revocation', async () => {
    const records = new InstallationRecords(database.db, new TokenCipher(keyA));
    await records.save(acme, now);
    const [row] = await database.db.select().from(slackInstallations);
    expect(row).toMatchObject({ installKey: 'team:T0ACME', botScopes: 'chat:write,commands', installedAt: now });
    expect(row!.botToken).not.toContain('acme-token');
    expect(row!.botRefreshToken).not.toContain('acme-refresh');
    expect(await records.find(['team:T0ACME'])).toMatchObject({ botToken: acme.botToken, botRefreshToken: acme.botRefreshToken });

    const later = new Date(now.getTime() + 60_000);
    expect(await records.revoke('team:T0ACME', 'app_uninstalled', later)).toBe(true);
    expect(await records.revoke('team:T0ACME', 'app_uninstalled', later)).toBe(false);
    expect(await records.find(['team:T0ACME'])).toMatchObject({ botToken: null, revokedReason: 'app_uninstalled', revokedAt: later });

    const again = await records.save(
      { ...acme, botToken: 'xoxb-new', botRefreshToken: null, botTokenExpiresAt: null, installerUserId: 'U0COLE' },
      later,
    );
    expect(again).toMatchObject({
      botToken: 'xoxb-new',
      revokedAt: null,
      revokedReason: null,
      installerUserId: 'U0COLE',
      installedAt: now,
    });
    expect(await database.db.select().from(slackInstallations)).toHaveLength(1);
  });

  it('after a key change, opens the old seals and seals them again with the new key on first read', async () => {
    await new InstallationRecords(database.db, new TokenCipher(keyA)).save(acme, now);
    const rotated = new InstallationRecords(database.db, new TokenCipher(keyB, [keyA]));
    expect((await rotated.find(['team:T0ACME']))?.botToken).toBe(acme.botToken);
    const [row] = await database.db.select().from(slackInstallations).where(eq(slackInstallations.installKey, 'team:T0ACME'));
    // The old key is no longer needed.
    const newOnly = new TokenCipher(keyB);
    expect(newOnly.open(row!.botToken!, 'team:T0ACME')).toBe(acme.botToken);
    expect(newOnly.open(row!.botRefreshToken!, 'team:T0ACME')).toBe(acme.botRefreshToken);
  });

  it('finds the org-wide install for a workspace of its organization', () => {
    expect(candidateKeys({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true })).toEqual(['enterprise:E1', 'team:T1']);
    expect(candidateKeys({ teamId: 'T1', enterpriseId: 'E1' })).toEqual(['team:T1', 'enterprise:E1']);
    expect(candidateKeys({ teamId: 'T1' })).toEqual(['team:T1']);
  });
});

describe('OneTimeStateStore', () => {
  let database: DatabaseHandle;
  let clock: TestClock;
  let store: OneTimeStateStore;
  beforeEach(async () => {
    database = await emptyDatabase();
    clock = new TestClock();
    store = new OneTimeStateStore(database.db, 'state-secret-0123456789', clock.now);
  });

  it('a state works once and carries the install options; only its hash is kept', async () => {
    const state = await store.generateStateParam({ scopes: ['chat:write'] }, new Date());
    const [row] = await database.db.select().from(oauthStates);
    expect(row!.stateHash).not.toContain(state.split('.')[0]);
    expect(await store.verifyStateParam(new Date(), state)).toEqual({ scopes: ['chat:write'] });
    await expect(store.verifyStateParam(new Date(), state)).rejects.toThrow(InvalidInstallStateError);
    expect(await database.db.select().from(oauthStates)).toEqual([]);
  });

  it('refuses a state it did not sign, one signed with another secret, and one past its ten minutes', async () => {
    await expect(store.verifyStateParam(new Date(), 'made-up')).rejects.toMatchObject({ code: 'slack_oauth_invalid_state' });
    const other = new OneTimeStateStore(database.db, 'another-secret-0123456789', clock.now);
    const foreign = await other.generateStateParam({ scopes: [] }, new Date());
    await expect(store.verifyStateParam(new Date(), foreign)).rejects.toThrow('not issued by this Vouch');
    const state = await store.generateStateParam({ scopes: [] }, new Date());
    clock.advance(10 * 60_000);
    await expect(store.verifyStateParam(new Date(), state)).rejects.toThrow('lapsed or was used');
    // Lapsed states are dropped when the next one is made.
    await store.generateStateParam({ scopes: [] }, new Date());
    expect(await database.db.select().from(oauthStates)).toHaveLength(1);
  });
});
