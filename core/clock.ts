/**
 * The clock is injected everywhere time matters (scheduler, outage state machine, alerts,
 * reports) so that tests drive time explicitly instead of sleeping.
 * All instants inside demarc are epoch milliseconds in UTC; formatting for people
 * (Asia/Shanghai) happens only at the edges (web, reports, alert messages).
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock a test (or a replay) moves by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';
