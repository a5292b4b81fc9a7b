import { describe, expect, it } from 'vitest';
import {
  checkRecoveryDecision,
  decideRecoveryFiling,
  completesQuorum,
  officerIsRequester,
  recoveryChecks,
  recoveryReference,
  recoveryReminderDue,
  validateRecoveryForm,
  type RecoveryFacts,
} from '../../src/domain/recovery.js';
import { nameAndPerson, parsePerson } from '../../src/bot/listeners/commands/args.js';
import type { Effect } from '../../src/domain/effects.js';
import { answer, noAnswer, type Answer, type DirectoryPerson } from '../../src/domain/directory.js';

const person = (userId: string) => answer({ userId, isBot: false, deactivated: false });
const decision = {
  status: 'open' as const,
  requesterUserId: 'UREQ',
  actorUserId: 'USUP',
  actorIsSupport: true,
  /** The Slack user of the e-mail to add. */
  newAdmin: person('UREQ') as Answer<DirectoryPerson | null>,
  approverUserIds: [] as string[],
  action: 'approve' as const,
};

const ofType = <T extends Effect['type']>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);

describe('who may decide a recovery request', () => {
  it('a support member who is not the requester, once', () => {
    expect(checkRecoveryDecision(decision)).toBeNull();
    expect(checkRecoveryDecision({ ...decision, actorIsSupport: false })).toEqual({ reason: 'not_support' });
    expect(checkRecoveryDecision({ ...decision, actorUserId: 'UREQ' })).toEqual({ reason: 'own_request' });
    expect(checkRecoveryDecision({ ...decision, newAdmin: person('USUP') })).toEqual({ reason: 'own_request' });
    expect(checkRecoveryDecision({ ...decision, approverUserIds: ['USUP'] })).toEqual({ reason: 'already_voted' });
    expect(checkRecoveryDecision({ ...decision, approverUserIds: ['USUP'], action: 'reject' })).toBeNull();
    expect(checkRecoveryDecision({ ...decision, status: 'rejected' })).toEqual({ reason: 'already_decided', status: 'rejected' });
  });
  it('an approval needs Slack to say who the e-mail to add belongs to; a rejection, which grants nothing, does not', () => {
    expect(checkRecoveryDecision({ ...decision, newAdmin: noAnswer })).toEqual({ reason: 'slack_unavailable' });
    expect(checkRecoveryDecision({ ...decision, newAdmin: noAnswer, action: 'reject' })).toBeNull();
    expect(checkRecoveryDecision({ ...decision, newAdmin: answer(null) })).toBeNull();
    expect(checkRecoveryDecision({ ...decision, newAdmin: person('USUP'), action: 'reject' })).toEqual({ reason: 'own_request' });
  });
  it('the quorum completes on the last required approval', () => {
    expect(completesQuorum(0, 1)).toBe(true);
    expect(completesQuorum(0, 2)).toBe(false);
    expect(completesQuorum(1, 2)).toBe(true);
  });
});

describe('the request form', () => {
  const form = {
    accountName: 'Acme',
    emailToAdd: 'a@acme.example',
    reason: 'why',
    contractNumber: 'C-1',
    officerName: 'Casey',
    officerTitle: 'CEO',
    officerEmail: 'c@acme.example',
  };
  it('accepts a complete form with a PDF or an image', () => {
    expect(validateRecoveryForm(form, { name: 'letter.PDF' })).toEqual({});
    expect(validateRecoveryForm(form, { name: 'scan.jpeg' })).toEqual({});
  });
  it('names every problem, and the limit', () => {
    expect(
      validateRecoveryForm({ ...form, officerName: ' ', contractNumber: 'x'.repeat(41), officerEmail: 'no' }, { name: 'letter.docx' }),
    ).toEqual({
      officerName: 'This is required.',
      contractNumber: 'Keep this to 40 characters or fewer (now 41).',
      officerEmail: 'Enter an e-mail address such as name@company.com.',
      letter: 'The letter must be a PDF, PNG or JPEG file.',
    });
  });
});

describe('the checks support would make by hand', () => {
  const facts: RecoveryFacts = {
    account: { name: 'Acme', contractNumber: 'C-1', admins: { active: 0, deactivated: 0 }, primaryContactEmail: 'pat@acme.example' },
    contractNumber: 'c-1',
    earlierOpenReference: null,
    requesterEmail: 'req@acme.example',
    emailToAdd: 'REQ@acme.example',
    officerEmail: 'ceo@ACME.example',
    officerIsRequester: false,
  };
  it('all pass for a textbook request', () => {
    expect(recoveryChecks(facts).map((c) => c.outcome)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
  });
  it('admins deactivated in Slack are not active admins: recovery is the way back', () => {
    const check = (active: number, deactivated: number) =>
      recoveryChecks({ ...facts, account: { ...facts.account!, admins: { active, deactivated } } }).find(
        (c) => c.label === 'Active admins',
      );
    expect(check(0, 1)).toEqual({
      label: 'Active admins',
      outcome: 'pass',
      detail: 'None active: 1 admin, deactivated in Slack. Recovery is the way back.',
    });
    expect(check(0, 2)?.detail).toBe('None active: 2 admins, all deactivated in Slack. Recovery is the way back.');
    expect(check(1, 1)).toEqual({
      label: 'Active admins',
      outcome: 'warn',
      detail: '1 active admin (and 1 admin deactivated in Slack): they could add this person themselves.',
    });
    expect(check(2, 0)?.detail).toBe('2 active admins: they could add this person themselves.');
    expect(check(0, 0)).toEqual({ label: 'Active admins', outcome: 'pass', detail: 'None: recovery is the way back.' });
  });

  it('an unknown account fails, and the account-bound checks are left out', () => {
    expect(recoveryChecks({ ...facts, account: null }).map((c) => [c.label, c.outcome])).toEqual([
      ['Account', 'fail'],
      ['Repeat request', 'pass'],
      ['Requester', 'pass'],
      ['Officer', 'pass'],
      ['Officer’s domain', 'warn'],
    ]);
  });
  it('a repeat is flagged even when no account has the name', () => {
    expect(recoveryChecks({ ...facts, account: null, earlierOpenReference: 'REC-AAAAAA' })).toContainEqual({
      label: 'Repeat request',
      outcome: 'warn',
      detail: 'An earlier request for this account name and e-mail is still open (REC-AAAAAA).',
    });
  });
  it('warns of admins still active, a repeat, someone else’s address and a foreign officer', () => {
    const checks = recoveryChecks({
      ...facts,
      account: { ...facts.account!, admins: { active: 2, deactivated: 0 } },
      earlierOpenReference: 'REC-AAAAAA',
      emailToAdd: 'x@acme.example',
      officerEmail: 'ceo@other.example',
    });
    expect(checks.filter((c) => c.outcome === 'warn').map((c) => c.label)).toEqual([
      'Active admins',
      'Repeat request',
      'Requester',
      'Officer’s domain',
    ]);
  });
});

describe('a requester who names themselves as the officer', () => {
  const facts: RecoveryFacts = {
    account: null,
    contractNumber: 'C-1',
    earlierOpenReference: null,
    requesterEmail: 'req@acme.example',
    emailToAdd: 'req@acme.example',
    officerEmail: 'req@acme.example',
    officerIsRequester: true,
  };
  const officerCheck = (f: RecoveryFacts) => recoveryChecks(f).find((c) => c.label === 'Officer');
  it('is flagged as a problem support sees; a requester Slack could not tell about is left to compare by hand', () => {
    expect(officerCheck(facts)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('names themselves as the officer') });
    expect(officerCheck({ ...facts, officerIsRequester: null })?.outcome).toBe('warn');
    expect(officerCheck({ ...facts, officerIsRequester: false })?.outcome).toBe('pass');
  });
  it('is the requester by their Slack address or by the Slack user of the officer’s address', () => {
    const base = { requesterUserId: 'UREQ', requesterEmail: 'req@acme.example', officerEmail: 'ceo@acme.example', officer: answer(null) };
    expect(officerIsRequester(base)).toBe(false);
    expect(officerIsRequester({ ...base, officerEmail: ' REQ@acme.example ' })).toBe(true);
    expect(officerIsRequester({ ...base, requesterEmail: null, officer: person('UREQ') })).toBe(true);
    expect(officerIsRequester({ ...base, officer: person('UCEO') })).toBe(false);
    expect(officerIsRequester({ ...base, requesterEmail: null, officer: noAnswer })).toBeNull();
    // Slack answered for the requester only: their one address is not the officer's.
    expect(officerIsRequester({ ...base, officer: noAnswer })).toBe(false);
  });
});

describe('filing a request', () => {
  it('stores the form trimmed with its checks, audits it, posts it to support and refreshes the Home tabs it shows on', () => {
    const { next, effects } = decideRecoveryFiling({
      id: 'rec-new',
      reference: 'REC-NEW234',
      requesterUserId: 'UREQ',
      form: {
        accountName: ' Acme Corp ',
        emailToAdd: ' req@acme.example',
        reason: 'Our admin left.',
        contractNumber: 'C-1001',
        officerName: 'Casey Chief',
        officerTitle: 'CEO',
        officerEmail: 'casey@acme.example ',
      },
      letter: { fileId: 'F1', name: 'letter.pdf', permalink: null, sha256: 'f00d' },
      accountId: 'acc-1',
      facts: {
        account: {
          name: 'Acme Corp',
          contractNumber: 'C-1001',
          admins: { active: 0, deactivated: 0 },
          primaryContactEmail: 'pat@acme.example',
        },
        earlierOpenReference: null,
        requesterEmail: 'req@acme.example',
        officerIsRequester: false,
      },
      approvalsRequired: 2,
      supportChannelId: 'CSUPPORT',
    });
    expect(next).toBe('open');
    const [created] = ofType(effects, 'create_recovery_request');
    expect(created?.request).toMatchObject({
      id: 'rec-new',
      accountName: 'Acme Corp',
      emailToAdd: 'req@acme.example',
      officerEmail: 'casey@acme.example',
      approvalsRequired: 2,
      letterSha256: 'f00d',
    });
    expect(created?.request.checks.map((c) => c.outcome)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(ofType(effects, 'audit').map((e) => e.entry)).toEqual([
      {
        accountId: 'acc-1',
        actor: 'UREQ',
        action: 'recovery.requested',
        subjectKind: 'recovery_request',
        subjectId: 'rec-new',
        after: { reference: 'REC-NEW234', emailToAdd: 'req@acme.example', officer: 'casey@acme.example', letterSha256: 'f00d' },
      },
    ]);
    expect(ofType(effects, 'queue').map((e) => e.write)).toEqual([
      { key: 'post:recovery:rec-new', payload: { type: 'post', surface: 'recovery', subjectId: 'rec-new', channel: 'CSUPPORT' } },
      {
        key: 'letter:rec-new:f00d',
        payload: {
          type: 'letter',
          channel: 'CSUPPORT',
          threadOf: 'rec-new',
          reference: 'REC-NEW234',
          fileId: 'F1',
          fileName: 'letter.pdf',
          sha256: 'f00d',
        },
      },
      {
        key: 'post:recovery_receipt:rec-new',
        payload: { type: 'post', surface: 'recovery_receipt', subjectId: 'rec-new', channel: 'UREQ' },
      },
      { key: 'support_homes:rec-new:1', payload: { type: 'support_homes' } },
      { key: 'home:UREQ:rec-new:1', payload: { type: 'home', userId: 'UREQ' } },
    ]);
  });
});

describe('references and reminders', () => {
  it('references avoid look-alike characters', () => {
    expect(recoveryReference(() => 0)).toBe('REC-AAAAAA');
    expect(recoveryReference(() => 0.999)).toBe('REC-999999');
  });
  it('an open request is due once per period', () => {
    const createdAt = new Date('2026-11-01T00:00:00Z');
    const at = (h: number) => new Date(createdAt.getTime() + h * 3_600_000);
    const day = 24 * 3_600_000;
    expect(recoveryReminderDue({ status: 'open', createdAt, waitingSince: null, lastRemindedAt: null }, at(23), day)).toBe(false);
    expect(recoveryReminderDue({ status: 'open', createdAt, waitingSince: null, lastRemindedAt: null }, at(24), day)).toBe(true);
    expect(recoveryReminderDue({ status: 'open', createdAt, waitingSince: null, lastRemindedAt: at(24) }, at(47), day)).toBe(false);
    expect(recoveryReminderDue({ status: 'approved', createdAt, waitingSince: null, lastRemindedAt: null }, at(48), day)).toBe(false);
  });
});

describe('command arguments', () => {
  it('reads a mention, an escaped mention or an e-mail address', () => {
    expect(parsePerson('<@U123ABC>')).toEqual({ userId: 'U123ABC' });
    expect(parsePerson('<@U123ABC|cole>')).toEqual({ userId: 'U123ABC' });
    expect(parsePerson('<mailto:cole@acme.example|cole@acme.example>')).toEqual({ email: 'cole@acme.example' });
    expect(parsePerson('cole@acme.example')).toEqual({ email: 'cole@acme.example' });
    expect(parsePerson('@cole')).toBeNull();
  });
  it('takes the last word as the person and the rest, unquoted, as the account name', () => {
    expect(nameAndPerson('"Acme Corp EU" <@U1>')).toEqual({ name: 'Acme Corp EU', person: { userId: 'U1' } });
    expect(nameAndPerson('<@U1>')).toBeNull();
  });
});
