import { describe, expect, it } from 'vitest';
import type { Incident, IncidentEvent } from '../../core/incident.js';
import { sameDrop, type Drop } from '../../outage/flap-drops.js';
import { IncidentTracker } from '../../outage/incident-tracker.js';
import { answered, at, makeSite, silent, testConfig } from './sample-factory.js';

// Sequences of short drops (one poll long, below the 3-poll confirmation) fed through the real
// tracker with 1 s polls: minDrops 3 in 60 s, closed after 10 s quiet (testConfig).

const BOOT = 30 * 86_400;
const FIRST = 10;

type SeenBy = 'poll' | 'trap' | 'both';

interface Case {
  name: string;
  drops: number;
  /** Good polls between two drops. */
  goodBetween: number;
  seenBy: SeenBy;
  /** null: no incident at all. */
  want: { flaps: number; startedAt: number; endedAt: number } | null;
}

const last = (c: Pick<Case, 'drops' | 'goodBetween'>) => FIRST + (c.drops - 1) * (c.goodBetween + 1);

/** When a run of drops starts and ends, as each way of seeing them dates it. */
function span(c: Pick<Case, 'drops' | 'goodBetween' | 'seenBy'>): { startedAt: number; endedAt: number } {
  const l = last(c);
  if (c.seenBy === 'poll') return { startedAt: at(FIRST), endedAt: at(l + 1) };
  if (c.seenBy === 'trap') return { startedAt: at(FIRST) + 200, endedAt: at(l) + 600 };
  // The traps date both ends exactly; the polls only bound the drop between two good polls.
  return { startedAt: at(FIRST) - 300, endedAt: at(l) + 400 };
}

const cases: Case[] = [];
for (const seenBy of ['poll', 'trap', 'both'] as const) {
  for (const goodBetween of [1, 2, 3]) {
    cases.push({ name: `8 drops seen by ${seenBy}, ${goodBetween} good poll(s) apart`, drops: 8, goodBetween, seenBy, want: { flaps: 8, ...span({ drops: 8, goodBetween, seenBy }) } });
  }
  cases.push({ name: `3 drops seen by ${seenBy}, 1 good poll apart: exactly the threshold`, drops: 3, goodBetween: 1, seenBy, want: { flaps: 3, ...span({ drops: 3, goodBetween: 1, seenBy }) } });
  cases.push({ name: `2 drops seen by ${seenBy}, 1 good poll apart: below the threshold`, drops: 2, goodBetween: 1, seenBy, want: null });
}

function play(c: Case): IncidentEvent[] {
  const t = new IncidentTracker([makeSite('A')], testConfig(), (() => {
    let n = 0;
    return () => `INC-${++n}`;
  })());
  const dropAt = new Set(Array.from({ length: c.drops }, (_, i) => FIRST + i * (c.goodBetween + 1)));
  const trap = (ms: number, kind: 'linkDown' | 'linkUp') => t.trap({ at: ms, siteId: 'A', kind, from: 'ce', ifName: 'GigabitEthernet0/0/0', detail: '' }, ms, []).events;
  const events: IncidentEvent[] = [];
  for (let s = 0; s <= last(c) + 20; s++) {
    const drop = dropAt.has(s);
    // A sub-second drop during the poll: its traps reach demarc before the cycle's samples.
    if (drop && c.seenBy === 'both') events.push(...trap(at(s) - 300, 'linkDown'), ...trap(at(s) + 400, 'linkUp'));
    const pollSaw = drop && c.seenBy !== 'trap';
    events.push(...t.observe([pollSaw ? silent('A', s) : answered('A', s, { wanLastChangeSec: BOOT + s - 0.5 })], at(s), []).events);
    // A drop between two polls that only the traps saw.
    if (drop && c.seenBy === 'trap') events.push(...trap(at(s) + 200, 'linkDown'), ...trap(at(s) + 600, 'linkUp'));
  }
  return events;
}

function incidents(events: IncidentEvent[]): Incident[] {
  const byId = new Map<string, Incident>();
  for (const e of events) byId.set(e.incident.id, e.incident);
  return [...byId.values()];
}

describe('flapping: sequences of one-poll drops', () => {
  it.each(cases)('$name', (c) => {
    const all = incidents(play(c));
    if (c.want === null) {
      expect(all).toEqual([]);
      return;
    }
    expect(all).toHaveLength(1);
    const i = all[0]!;
    expect(i).toMatchObject({ kind: 'outage', flaps: c.want.flaps, startedAt: c.want.startedAt, endedAt: c.want.endedAt, verdict: 'final', responsibility: 'line' });
    // One flap line of evidence per drop: a drop seen by a poll and its traps counts once.
    expect(i.evidence.filter((e) => e.kind === 'flap')).toHaveLength(c.want.flaps);
  });
});

describe('sameDrop: which sightings are one drop', () => {
  const poll = (seenFrom: number, start: number, end: number): Drop => ({ seenFrom, start, end, polls: 1 });
  const trap = (start: number, end: number): Drop => ({ seenFrom: start, start, end, polls: null });
  const table: [string, Drop, Drop, boolean][] = [
    ['two poll drops sharing the good poll between them', poll(0, 1, 2), poll(2, 3, 4), false],
    ['two poll drops two good polls apart', poll(0, 1, 2), poll(3, 4, 5), false],
    ['a trap drop inside a poll drop', poll(0, 1, 2), trap(0.7, 1.4), true],
    ['a trap drop just after a poll drop ended', poll(0, 1, 2), trap(2.2, 2.6), false],
    ['a trap drop touching a poll drop only at its bounding good poll', poll(0, 1, 2), trap(2, 2.5), false],
    ['two separate trap drops', trap(1.2, 1.6), trap(3.2, 3.6), false],
    ['the same trap drop twice', trap(1.2, 1.6), trap(1.2, 1.6), true],
  ];
  it.each(table)('%s → %s', (_, a, b, want) => {
    expect(sameDrop(a, b)).toBe(want);
    expect(sameDrop(b, a)).toBe(want);
  });
});
