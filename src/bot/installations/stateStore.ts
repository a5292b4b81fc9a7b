import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { InstallURLOptions, StateStore } from '@slack/bolt';
import type { Database } from '../../db/client.js';
import { consumeOAuthState, saveOAuthState } from '../../db/oauthStates.js';

/** Bolt's code for a state it cannot accept (@slack/oauth's InvalidStateError), which the install pages read. */
export class InvalidInstallStateError extends Error {
  readonly code = 'slack_oauth_invalid_state';
}

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

/**
 * The OAuth state of "Add to Slack", usable once. Bolt's own state store signs a state and trusts
 * it for 10 minutes, however often it comes back: a finished install's state and cookie, replayed
 * with a fresh code, would install again. Here each state is a random value signed with
 * SLACK_STATE_SECRET (a state Vouch did not make is refused before the database is asked) and a
 * row in PostgreSQL (by its hash) that using it deletes, so it works once, on every replica, and
 * not after `ttlMs`.
 */
export class OneTimeStateStore implements StateStore {
  constructor(
    private readonly db: Database,
    private readonly stateSecret: string,
    private readonly clock: () => Date,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  async generateStateParam(installOptions: InstallURLOptions, _now?: Date): Promise<string> {
    const nonce = randomBytes(24).toString('base64url');
    const state = `${nonce}.${this.sign(nonce)}`;
    const now = this.clock();
    await saveOAuthState(this.db, hash(state), installOptions, now, new Date(now.getTime() + this.ttlMs));
    return state;
  }

  async verifyStateParam(_now: Date, state: string): Promise<InstallURLOptions> {
    const [nonce, signature, ...rest] = state.split('.');
    const expected = nonce ? Buffer.from(this.sign(nonce)) : Buffer.alloc(0);
    const given = Buffer.from(signature ?? '');
    if (!nonce || rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new InvalidInstallStateError('The state was not issued by this Vouch.');
    }
    const installOptions = await consumeOAuthState(this.db, hash(state), this.clock());
    if (installOptions === undefined) throw new InvalidInstallStateError('The state has lapsed or was used already.');
    return installOptions as InstallURLOptions;
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.stateSecret).update(`vouch-oauth-state:${nonce}`).digest('base64url');
  }
}
