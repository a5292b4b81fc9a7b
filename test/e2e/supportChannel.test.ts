import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { blocksText } from '../../src/sandbox/slack/index.js';
import { capturingLogger } from '../support/logs.js';
import { people, startHarness, SUPPORT_CHANNEL, type Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const replyText = (res: { json?: unknown }) => {
  const json = res.json as { text: string; blocks?: unknown[] };
  return json.blocks ? blocksText(json.blocks as never) : json.text;
};

describe('the support channel must be private', () => {
  it('a public support channel stops Vouch at start-up with a configuration error that says why and what to do', async () => {
    const error = await startHarness({ supportChannelPublic: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const { message } = error as ConfigError;
    expect(message).toContain(`SUPPORT_CHANNEL_ID ${SUPPORT_CHANNEL} (#enterprise-support) is a public channel`);
    expect(message).toContain('anyone in the workspace who joins it becomes support');
    expect(message).toContain('SUPPORT_CHANNEL_ALLOW_PUBLIC=true');
  });

  it('a support channel the bot cannot read is a configuration error too', async () => {
    const error = await startHarness({ supportChannelId: 'C0NOSUCHCHANNEL' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('SUPPORT_CHANNEL_ID C0NOSUCHCHANNEL cannot be read (channel_not_found)');
  });

  it('SUPPORT_CHANNEL_ALLOW_PUBLIC=true lets a public channel stand, with a warning at every start', async () => {
    for (let start = 0; start < 2; start++) {
      const logs = capturingLogger('warn');
      const harness = await startHarness({ supportChannelPublic: true, allowPublicSupport: true, logger: logs.logger });
      const warnings = logs.lines().filter((l) => l.level === 40);
      expect(warnings.map((w) => w.msg)).toEqual([expect.stringContaining('is a public channel and SUPPORT_CHANNEL_ALLOW_PUBLIC=true')]);
      const res = await harness.driver.command(people.supportA.id, 'create');
      expect(res.status).toBe(200);
      expect(harness.slack.openView(people.supportA.id)?.view).toMatchObject({ callback_id: 'create_account' });
      const ready = (await (await fetch(`${harness.baseUrl}/readyz`)).json()) as { supportChannel: unknown };
      expect(ready.supportChannel).toMatchObject({ private: false, ok: true, warning: expect.stringContaining('public channel') });
      await harness.close();
    }
  });

  it('/readyz reads the channel: private is ready; made public later, it is 503 and no one is support any more', async () => {
    h = await startHarness();
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, supportChannel: { id: SUPPORT_CHANNEL, private: true, ok: true } });

    h.slack.setChannelPrivate(SUPPORT_CHANNEL, false);
    h.vouch.context.support.forget();
    const notReady = await fetch(`${h.baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      ready: false,
      supportChannel: { private: false, ok: false, problem: expect.stringContaining('is a public channel') },
    });
    // Fail closed: a public channel's members are not support.
    expect(replyText(await h.driver.command(people.supportA.id, 'create'))).toContain('Only members of');
    expect(h.slack.openView(people.supportA.id)).toBeUndefined();
  });

  it('when Slack does not answer at start-up, Vouch starts, warns, and /readyz says so until Slack answers', async () => {
    const logs = capturingLogger('warn');
    // The stand-in is up before Vouch starts; its conversations.info fails for the start-up check.
    h = await startHarness({ logger: logs.logger, beforeStart: (slack) => slack.failNext('conversations.info', { status: 500 }, 2) });
    expect(logs.lines().map((l) => l.msg)).toEqual([expect.stringContaining('could not be checked: Slack did not answer')]);
    const first = await fetch(`${h.baseUrl}/readyz`);
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ supportChannel: { ok: false, private: null } });
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
  });
});
