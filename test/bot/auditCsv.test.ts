import { describe, expect, it } from 'vitest';
import { auditCsv, csvCell, plainText } from '../../src/bot/auditCsv.js';
import { escapeText } from '../../src/bot/blocks/format.js';
import { account, auditEvent, ids, now, people } from './blocks/data.js';

const noSubjects = { delegations: {}, invitations: {}, recoveries: {} };

describe('the audit trail as CSV', () => {
  it('makes a cell a spreadsheet would run inert, and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('')).toBe('');
  });

  it('reads mrkdwn back as the text people typed', () => {
    expect(
      plainText(`<@${people.pat}> set up *${escapeText('*Acme* & <Co>')}* on <!date^1795424400^{date_short_pretty}|2026-11-23 09:00 UTC>`),
    ).toBe(`@${people.pat} set up *Acme* & <Co> on 2026-11-23 09:00 UTC`);
  });

  it('one row per event, oldest first as given: the sentence, then every code, id and value', () => {
    const csv = auditCsv(
      [
        auditEvent({
          action: 'recovery.rejected',
          actor: people.sam,
          actorTeamId: 'T0ACME',
          subjectKind: 'recovery_request',
          subjectId: ids.request,
          before: { status: 'open' },
          after: { status: 'rejected', reason: '=cmd|"/c calc"!A1' },
        }),
      ],
      account({ name: '=Acme' }),
      noSubjects,
    );
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe('at,what,actor,action,subject_kind,subject_id,before,after,actor_team');
    expect(row).toBe(
      `${now.toISOString()},"'@${people.sam} rejected recovery request a recovery request: =cmd|""/c calc""!A1",${people.sam},recovery.rejected,recovery_request,${ids.request},"{""status"":""open""}","{""status"":""rejected"",""reason"":""=cmd|\\""/c calc\\""!A1""}",T0ACME`,
    );
    expect(end).toBe('');
  });
});
