import { describe, expect, it } from 'vitest';
import { mayReadAccount } from '../../src/domain/admins.js';

describe('who may read an account’s admins and audit trail', () => {
  it('its admins and support, no one else', () => {
    expect(mayReadAccount({ isAdmin: true, isSupport: false })).toBe(true);
    expect(mayReadAccount({ isAdmin: false, isSupport: true })).toBe(true);
    expect(mayReadAccount({ isAdmin: true, isSupport: true })).toBe(true);
    expect(mayReadAccount({ isAdmin: false, isSupport: false })).toBe(false);
  });
});
