import { describe, expect, it } from 'vitest';
import { reminderLeadMs } from '../../src/domain/reminders.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the lead of a reminder before a deadline', () => {
  it('is the configured lead when it is shorter than the validity', () => {
    expect(reminderLeadMs(30 * DAY, 3 * DAY)).toBe(3 * DAY);
    expect(reminderLeadMs(24 * HOUR, 2 * HOUR)).toBe(2 * HOUR);
    expect(reminderLeadMs(6_000, 5_999)).toBe(5_999);
  });

  it('is half the validity when the configured lead is as long as the validity or longer', () => {
    expect(reminderLeadMs(2 * DAY, 3 * DAY)).toBe(DAY);
    expect(reminderLeadMs(2 * HOUR, 2 * HOUR)).toBe(HOUR);
    expect(reminderLeadMs(1_001, 5_000)).toBe(500);
  });

  it('never reaches back to the moment of issue', () => {
    for (const validity of [1, 2, 999, 1_000, 60_000, 30 * DAY])
      for (const lead of [1, validity - 1, validity, validity + 1, 10 * validity].filter((ms) => ms > 0))
        expect(reminderLeadMs(validity, lead), `validity ${validity}, lead ${lead}`).toBeLessThan(validity);
  });
});
