import { describe, expect, it } from 'vitest';
import { person } from '../../../src/bot/blocks/person.js';
import { noticeMessage } from '../../../src/bot/blocks/notices.js';
import { recoveryMessage } from '../../../src/bot/blocks/recoveryMessages.js';
import { recoveryQuestionMessage } from '../../../src/bot/blocks/recoveryRequester.js';
import { withNames, type CrossWorkspace } from '../../../src/domain/workspace.js';
import { now, recoveryRequest } from './data.js';

const beta = { teamId: 'T0BETA', teamName: 'Beta Ltd', names: { U0REX: 'Rex Requester' } };
const cross: CrossWorkspace = { requester: beta, support: { teamId: 'T0VOUCH', teamName: 'Provider Inc', names: { U0SAM: 'Sam' } } };
const shown = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

describe('a person of another workspace', () => {
  it('is a mention in the reader’s workspace, and in words (name and workspace) in another', () => {
    expect(person('U0REX').text).toBe('<@U0REX>');
    expect(person('U0REX', null).text).toBe('<@U0REX>');
    expect(person('U0REX', beta).text).toBe('Rex Requester (Slack workspace: Beta Ltd)');
  });

  it('whose name their workspace did not say is their user id with the workspace, never a mention', () => {
    expect(person('U0OTHER', beta).text).toBe('Slack user U0OTHER (Slack workspace: Beta Ltd)');
    expect(person('U0OTHER', { ...beta, teamName: null }).text).toBe('Slack user U0OTHER (Slack workspace: T0BETA)');
  });

  it('has names people control shown as typed', () => {
    const hostile = { ...beta, teamName: '<!here> *Beta*', names: { U0REX: '<@U0SAM> _Rex_' } };
    const words = person('U0REX', hostile).text;
    expect(words).not.toMatch(/<@|<!here>/);
    expect(words).toContain('&lt;@U0SAM&gt;');
    expect(words).toContain('&lt;!here&gt;');
  });

  it('keeps a known name when a later look-up does not say it, and tidies names to one line', () => {
    expect(withNames(beta, { U0REX: null, U0NEW: ' New\n Person ' }).names).toEqual({ U0REX: 'Rex Requester', U0NEW: 'New Person' });
  });
});

describe('a recovery request read across workspaces', () => {
  const request = recoveryRequest({ requesterUserId: 'U0REX', crossWorkspace: cross, letterPermalink: 'https://beta.slack.com/files/F1' });

  it('names the requester in words in support’s post, and does not link their copy of the letter', () => {
    const post = shown(recoveryMessage({ request, approverUserIds: [], question: null }));
    expect(post).toContain('Rex Requester (Slack workspace: Beta Ltd)');
    expect(post).not.toContain('<@U0REX>');
    expect(post).not.toContain('https://beta.slack.com/files/F1');
  });

  it('links the letter and mentions the requester when both are in one workspace', () => {
    const post = shown(recoveryMessage({ request: { ...request, crossWorkspace: null }, approverUserIds: [], question: null }));
    expect(post).toContain('<@U0REX>');
    expect(post).toContain('https://beta.slack.com/files/F1');
  });

  it('names the support member in words in the requester’s question DM', () => {
    const question = {
      id: 'q',
      requestId: request.id,
      askedBy: 'U0SAM',
      question: 'Who signed?',
      askedAt: now,
      status: 'asked' as const,
      version: 1,
      answer: null,
      answeredAt: null,
      letterFileName: null,
      letterSha256: null,
    };
    const dm = shown(recoveryQuestionMessage({ question, request }));
    expect(dm).toContain('Sam (Slack workspace: Provider Inc) from support asks');
    expect(dm).not.toContain('<@U0SAM>');
  });

  it('names the requester’s people in words in support’s thread, and says where the officer was not found', () => {
    const approved = shown(
      noticeMessage({
        kind: 'recovery_approved',
        reference: 'REC-1',
        byUserId: 'U0SAM',
        addedUserId: 'U0REX',
        accountName: 'Beta Ltd',
        requesterUserId: 'U0REX',
        officer: { email: 'cleo@beta.example' },
        requesterWorkspace: beta,
      }),
    );
    expect(approved).toContain('<@U0SAM>');
    expect(approved).not.toContain('<@U0REX>');
    expect(approved).toContain('the requester Rex Requester (Slack workspace: Beta Ltd) (the new admin)');
    expect(approved).toContain('is not in the Beta Ltd Slack workspace');
  });
});
