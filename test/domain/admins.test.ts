import { describe, expect, it } from 'vitest';
import { mayReadAccount, personProblem } from '../../src/domain/admins.js';

describe('who may read an account’s admins and audit trail', () => {
  it('its admins and support, no one else', () => {
    expect(mayReadAccount({ isAdmin: true, isSupport: false })).toBe(true);
    expect(mayReadAccount({ isAdmin: false, isSupport: true })).toBe(true);
    expect(mayReadAccount({ isAdmin: true, isSupport: true })).toBe(true);
    expect(mayReadAccount({ isAdmin: false, isSupport: false })).toBe(false);
  });
});

describe('who may hold manage', () => {
  it('an active person; not an app, not a deactivated account', () => {
    expect(personProblem({ isBot: false, deactivated: false })).toBeNull();
    expect(personProblem({ isBot: true, deactivated: false })).toBe('bot');
    expect(personProblem({ isBot: false, deactivated: true })).toBe('deactivated');
    expect(personProblem({ isBot: true, deactivated: true })).toBe('bot');
  });
});
