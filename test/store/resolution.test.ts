import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, bucketCeil, bucketStart, chooseResolution, influxOffsetMs, percentile, percentileRank } from '../../store/resolution.js';
import { belowWatermark, dayChunks, dirtyChunks, dirtyWindow, forwardTargets, lateSpan } from '../../store/rollup-plan.js';

const T = Date.UTC(2026, 0, 15, 16, 0, 0); // 2026-01-16 00:00 Asia/Shanghai
const NOW = T + 40 * DAY;

describe('bucketStart / bucketCeil: aligned to Asia/Shanghai midnight', () => {
  it.each([
    { at: T, step: DAY, start: T },
    { at: T + 1, step: DAY, start: T },
    { at: T - 1, step: DAY, start: T - DAY },
    { at: T + 7 * MINUTE + 3, step: 5 * MINUTE, start: T + 5 * MINUTE },
    { at: T + 90 * MINUTE, step: HOUR, start: T + HOUR },
    { at: T + 5 * HOUR, step: 3 * HOUR, start: T + 3 * HOUR },
  ])('$at at step $step starts at $start', ({ at, step, start }) => {
    expect(bucketStart(at, step)).toBe(start);
    expect(bucketCeil(at, step)).toBe(at === start ? start : start + step);
  });
  it.each([
    [5 * MINUTE, 0],
    [HOUR, 0],
    [DAY, 16 * HOUR],
    [7 * DAY, 6 * DAY + 16 * HOUR],
  ])('InfluxDB offset for step %i is %i', (step, offset) => expect(influxOffsetMs(step)).toBe(offset));
});

describe('chooseResolution', () => {
  const recent = { from: NOW - 7 * DAY, to: NOW };
  const old = { from: NOW - 60 * DAY, to: NOW - 50 * DAY };
  it.each([
    { q: recent, step: undefined, res: 'raw', stepMs: null },
    { q: recent, step: 60, res: 'raw', stepMs: 60_000 },
    { q: recent, step: 0.2, res: 'raw', stepMs: 1000 },
    { q: recent, step: 299, res: 'raw', stepMs: 299_000 },
    { q: recent, step: 300, res: '5m', stepMs: 300_000 },
    { q: recent, step: 1000, res: '5m', stepMs: 900_000 },
    { q: recent, step: 3600, res: '1h', stepMs: HOUR },
    { q: recent, step: 5400, res: '1h', stepMs: HOUR },
    { q: recent, step: 86400, res: '1d', stepMs: DAY },
    { q: recent, step: 7 * 86400, res: '1d', stepMs: 7 * DAY },
    { q: old, step: undefined, res: '5m', stepMs: 300_000 },
    { q: old, step: 60, res: '5m', stepMs: 300_000 },
    { q: old, step: 3600, res: '1h', stepMs: HOUR },
  ])('$q.from step $step → $res / $stepMs', ({ q, step, res, stepMs }) => {
    expect(chooseResolution({ ...q, stepSec: step }, NOW, 35)).toEqual({ resolution: res, stepMs });
  });
  it('names the bad argument', () => {
    expect(() => chooseResolution({ from: 10, to: 5 }, NOW, 35)).toThrow(/to \(5\) must be after from \(10\)/);
    expect(() => chooseResolution({ from: 1, to: 5, stepSec: -1 }, NOW, 35)).toThrow(/stepSec must be positive/);
  });
});

describe('percentile: InfluxDB PERCENTILE (nearest rank, rank = floor(n·p/100 + 0.5))', () => {
  it.each([
    [0, 95, null],
    [1, 95, 1],
    [10, 95, 10],
    [20, 95, 19],
    [31, 95, 29], // textbook ceil(n·p/100) would give 30
    [8928, 95, 8482], // a 31-day month of 5-minute buckets
    [8640, 95, 8208],
    [100, 50, 50],
  ])('n=%i p=%i → rank %s', (n, p, rank) => expect(percentileRank(n, p)).toBe(rank));
  it('picks from the sorted values, not the given order', () => {
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([], 95)).toBeNull();
  });
});

describe('rollup planning', () => {
  it('splits at Shanghai midnights', () => {
    expect(dayChunks(T - HOUR, T + DAY + HOUR)).toEqual([
      { from: T - HOUR, to: T },
      { from: T, to: T + DAY },
      { from: T + DAY, to: T + DAY + HOUR },
    ]);
    expect(dayChunks(T, T)).toEqual([]);
  });
  it('closes only complete buckets, each level behind the finer one', () => {
    expect(forwardTargets(T + DAY + HOUR + 9 * MINUTE, 2 * MINUTE)).toEqual({ '5m': T + DAY + HOUR + 5 * MINUTE, '1h': T + DAY + HOUR, '1d': T + DAY });
  });
  it.each([
    { name: 'late samples widen to whole days', dirty: { from: T + HOUR, to: T + 2 * HOUR }, cutoff: T - 10 * DAY, want: { from: T, to: T + DAY } },
    { name: 'a sample exactly at midnight is its own day', dirty: { from: T, to: T }, cutoff: 0, want: { from: T, to: T + DAY } },
    { name: 'days whose raw samples expired are not rebuilt', dirty: { from: T + HOUR, to: T + 2 * DAY }, cutoff: T + DAY, want: { from: T + DAY, to: T + 3 * DAY } },
    { name: 'nothing left after the cutoff', dirty: { from: T + HOUR, to: T + 2 * HOUR }, cutoff: T + DAY, want: null },
  ])('$name', ({ dirty, cutoff, want }) => expect(dirtyWindow(dirty, cutoff)).toEqual(want));
  it('dedupes the days of several late ranges', () => {
    expect(dirtyChunks([{ from: T + HOUR, to: T + HOUR }, { from: T + 2 * HOUR, to: T + DAY + 1 }], 0)).toEqual([
      { from: T, to: T + DAY },
      { from: T + DAY, to: T + 2 * DAY },
    ]);
  });
  it('finds the samples behind the watermark', () => {
    expect(lateSpan([T + 10, T - 5, T + 1, T - 100], T)).toEqual({ from: T - 100, to: T - 5 });
    expect(lateSpan([T + 10], T)).toBeNull();
    expect(lateSpan([T - 10], undefined)).toBeNull();
  });
  it('clips a chunk to a watermark', () => {
    expect(belowWatermark({ from: T, to: T + DAY }, T + HOUR)).toEqual({ from: T, to: T + HOUR });
    expect(belowWatermark({ from: T, to: T + DAY }, T)).toBeNull();
    expect(belowWatermark({ from: T, to: T + DAY }, undefined)).toBeNull();
  });
});
