import { describe, expect, it } from 'vitest';
import { nameAndPerson } from '../../src/bot/listeners/commands/args.js';
import { matchTypedName, typedName, type NamedPerson } from '../../src/domain/typedName.js';

const person = (userId: string, name: string, displayName = '', extra: Partial<NamedPerson> = {}): NamedPerson => ({
  userId,
  name,
  displayName,
  isBot: false,
  deactivated: false,
  ...extra,
});

describe('a name typed after @', () => {
  it('is the text after @, and nothing else is one', () => {
    expect(typedName('@cole')).toBe('cole');
    expect(typedName('@Cole Miller ')).toBe('Cole Miller');
    for (const other of ['cole', '@', '@ cole', '<@U0COLE|cole>', 'cole@acme.example', '@a@b']) expect(typedName(other)).toBeNull();
  });

  it('splits from the account name at the last @, after a mention or an e-mail address is ruled out', () => {
    expect(nameAndPerson('Acme Corp @cole')).toEqual({ name: 'Acme Corp', person: { typedName: 'cole' } });
    expect(nameAndPerson('"Acme Corp" @Cole Miller')).toEqual({ name: 'Acme Corp', person: { typedName: 'Cole Miller' } });
    expect(nameAndPerson('Acme Corp <@U0COLE|cole>')).toEqual({ name: 'Acme Corp', person: { userId: 'U0COLE' } });
    expect(nameAndPerson('Acme Corp cole@acme.example')).toEqual({ name: 'Acme Corp', person: { email: 'cole@acme.example' } });
    expect(nameAndPerson('@cole')).toBeNull();
    expect(nameAndPerson('Acme Corp cole')).toBeNull();
  });

  it('fits one active person by display name or name, ignoring case; bots and deactivated people never', () => {
    const people = [
      person('U1', 'cole.m', 'Cole'),
      person('U2', 'dana', 'Dana Kim'),
      person('U3', 'bot', 'helper', { isBot: true }),
      person('U4', 'gone', '', { deactivated: true }),
    ];
    expect(matchTypedName('COLE', people)).toEqual({ kind: 'one', userId: 'U1' });
    expect(matchTypedName('cole.m', people)).toEqual({ kind: 'one', userId: 'U1' });
    expect(matchTypedName('dana  kim', people)).toEqual({ kind: 'one', userId: 'U2' });
    expect(matchTypedName('helper', people)).toEqual({ kind: 'none' });
    expect(matchTypedName('gone', people)).toEqual({ kind: 'none' });
    expect(matchTypedName('cole', [...people, person('U5', 'cole')])).toEqual({ kind: 'many', userIds: ['U1', 'U5'] });
  });
});
