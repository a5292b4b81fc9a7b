import { describe, expect, it } from 'vitest';
import { judgeSupportChannel } from '../../src/domain/supportChannel.js';

const channel = (isPrivate: boolean, isArchived = false) => ({ name: 'support', isPrivate, isArchived });

describe('the support channel', () => {
  it('private is support', () => {
    expect(judgeSupportChannel('C1', channel(true), false)).toEqual({ ok: true, isPrivate: true, warning: null });
  });

  it('public is a configuration error, unless allowed deliberately, and then a warning', () => {
    const refused = judgeSupportChannel('C1', channel(false), false);
    expect(refused).toMatchObject({ ok: false, permanent: true, isPrivate: false });
    expect(!refused.ok && refused.problem).toContain('C1 (#support) is a public channel');
    const allowed = judgeSupportChannel('C1', channel(false), true);
    expect(allowed).toMatchObject({ ok: true, isPrivate: false, warning: expect.stringContaining('SUPPORT_CHANNEL_ALLOW_PUBLIC=true') });
  });

  it('archived, or unreadable by the bot, is a configuration error; Slack not answering is not', () => {
    expect(judgeSupportChannel('C1', channel(true, true), false)).toMatchObject({ ok: false, permanent: true });
    expect(judgeSupportChannel('C1', { error: 'channel_not_found' }, true)).toMatchObject({ ok: false, permanent: true, isPrivate: null });
    expect(judgeSupportChannel('C1', { error: 'unreachable' }, false)).toMatchObject({ ok: false, permanent: false });
    expect(judgeSupportChannel('C1', { error: 'ratelimited' }, false)).toMatchObject({ ok: false, permanent: false });
  });
});
