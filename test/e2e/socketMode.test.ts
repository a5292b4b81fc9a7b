import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { accounts, adminMemberships } from '../../src/db/schema.js';
import { text, buttonsOf } from '../support/blocks.js';
import { invite, people, provision, startHarness, withTableAway, type Harness } from '../support/harness.js';

// The same bot with SLACK_APP_TOKEN set: Slack's requests come over the WebSocket the bot opens
// (`apps.connections.open`), acks go back over it, and the provisioning API keeps its HTTP port.
let h: Harness;

const { primary, colleague } = people;

describe('Socket Mode', () => {
  beforeEach(async () => {
    h = await startHarness({ socketMode: true });
  });
  afterEach(async () => {
    await h.close();
  });

  it('connects with the app-level token and runs Workflow 1 end to end: command, buttons, modals, Home', async () => {
    expect(h.slack.calls('apps.connections.open')).toHaveLength(1);
    expect(h.slack.socketConnections).toBe(1);

    const res = await provision(h);
    expect(res.status).toBe(201);
    const setupDm = h.slack.lastDm(primary.id)!;
    expect(buttonsOf(setupDm)).toEqual(['Set up the account', 'Invite someone else']);

    // A slash command's reply comes back in its ack.
    const help = await h.driver.commandShown(primary.id, 'help');
    expect(help.status).toBe(200);
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('/enterprise setup');

    // A modal opened from a button, submitted, answered in the ack.
    const { confirmation } = await invite(h, setupDm);
    expect(buttonsOf(confirmation)).toEqual(['Approve', 'Cancel']);

    expect((await h.driver.click(primary.id, confirmation, 'Approve')).status).toBe(200);
    const inviteeDm = h.slack.lastDm(colleague.id)!;
    expect((await h.driver.click(colleague.id, inviteeDm, 'Accept')).status).toBe(200);
    const [account] = await h.database.db.select().from(accounts);
    const admins = await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, account!.id));
    expect(admins.map((a) => a.userId).sort()).toEqual([primary.id, colleague.id].sort());

    // An Events API event: the Home tab.
    await h.driver.appHomeOpened(colleague.id);
    expect(h.slack.homeView(colleague.id)).toBeDefined();
  });

  it('a click whose transaction fails gets no ack, so Slack shows the person an error', async () => {
    await provision(h);
    const { confirmation } = await invite(h, h.slack.lastDm(primary.id)!);
    const response = await withTableAway(h, 'delegations', () => h.driver.click(primary.id, confirmation, 'Approve'));
    expect(response.status).toBe(500);
    expect(h.slack.dm(colleague.id)).toHaveLength(0);
  });
});

describe('Socket Mode with an app-level token Slack refuses', () => {
  it('start-up stops with a configuration error naming SLACK_APP_TOKEN', async () => {
    const error = await startHarness({ socketMode: true, appToken: 'xapp-not-this-app' }).then(
      (other) => other.close().then(() => null),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(
        /^Slack refused SLACK_APP_TOKEN: the token is not a token of this workspace \(invalid_auth\)\. Fix SLACK_APP_TOKEN: /,
      ),
    ]);
  });
});
