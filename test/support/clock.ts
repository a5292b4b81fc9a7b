/** A clock that moves only when a test moves it. */
export class TestClock {
  private current: number;

  constructor(start: Date | string = '2026-11-23T09:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now = (): Date => new Date(this.current);

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
