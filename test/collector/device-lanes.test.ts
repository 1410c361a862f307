import { describe, expect, it } from 'vitest';
import { DeviceLanes } from '../../collector/device-lanes.js';

/** A request that runs until the test settles it. */
interface Held {
  key: string;
  n: number;
  ok(): void;
  fail(): void;
}

function harness(limit: number) {
  const lanes = new DeviceLanes<null>(limit, () => null);
  const started: string[] = [];
  const running: Held[] = [];
  const results: string[] = [];
  const submit = (key: string, n: number) =>
    lanes
      .submit(lanes.lane(key), () => {
        started.push(`${key}${n}`);
        return new Promise<string>((resolve, reject) => {
          running.push({ key, n, ok: () => resolve(`${key}${n}`), fail: () => reject(new Error(`${key}${n} failed`)) });
        });
      })
      .then(
        (r) => void results.push(r),
        (err: Error) => void results.push(err.message),
      );
  const settle = async (key: string, n: number, how: 'ok' | 'fail' = 'ok') => {
    const i = running.findIndex((h) => h.key === key && h.n === n);
    expect(i, `${key}${n} is running`).toBeGreaterThanOrEqual(0);
    running.splice(i, 1)[0]![how]();
    for (let k = 0; k < 5; k++) await Promise.resolve();
  };
  return { lanes, started, results, submit, settle };
}

describe('DeviceLanes', () => {
  it('runs one request per device at a time, in the order they came', async () => {
    const h = harness(10);
    for (let n = 1; n <= 3; n++) void h.submit('a', n);
    void h.submit('b', 1);
    expect(h.started).toEqual(['a1', 'b1']);
    await h.settle('a', 1);
    expect(h.started).toEqual(['a1', 'b1', 'a2']);
    await h.settle('a', 2);
    await h.settle('a', 3);
    expect(h.results).toEqual(['a1', 'a2', 'a3']);
    expect(h.lanes.inFlight).toBe(1);
  });

  it('keeps to the global limit and hands a freed slot to the device that waited longest', async () => {
    const h = harness(2);
    void h.submit('a', 1);
    void h.submit('a', 2);
    void h.submit('b', 1);
    void h.submit('c', 1);
    void h.submit('d', 1);
    expect(h.started).toEqual(['a1', 'b1']);
    expect(h.lanes.queued).toBe(3);
    // a's next request queues behind c and d, which were waiting for a slot before it.
    await h.settle('a', 1);
    expect(h.started).toEqual(['a1', 'b1', 'c1']);
    await h.settle('b', 1);
    expect(h.started).toEqual(['a1', 'b1', 'c1', 'd1']);
    await h.settle('c', 1);
    expect(h.started).toEqual(['a1', 'b1', 'c1', 'd1', 'a2']);
    expect(h.lanes.inFlight).toBe(2);
  });

  it('frees the slot and the device when a request fails or throws before it starts', async () => {
    const h = harness(1);
    void h.submit('a', 1);
    void h.submit('a', 2);
    await h.settle('a', 1, 'fail');
    expect(h.results).toEqual(['a1 failed']);
    expect(h.started).toEqual(['a1', 'a2']);
    await h.settle('a', 2);

    const thrown = h.lanes.submit(h.lanes.lane('x'), () => {
      throw new Error('no session');
    });
    await expect(thrown).rejects.toThrow('no session');
    void h.submit('x', 2);
    expect(h.started.at(-1)).toBe('x2');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new DeviceLanes(0, () => null)).toThrow(/positive integer/);
    expect(() => new DeviceLanes(1.5, () => null)).toThrow(/positive integer/);
  });
});
