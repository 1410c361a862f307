/**
 * Request admission for the session pool: one request in flight per device (its lane) and at
 * most `limit` across all devices. A request waits in its device's lane; a lane whose device is
 * idle waits in one FIFO for a free slot, so a device with many queued requests (100 sites on
 * one CE) takes its turn with the others instead of holding every slot.
 *
 * Plain queues and counters rather than a chain of promises per device and a semaphore per
 * request: at 100,000 site polls a cycle, those were four promises and as many closures per
 * request, all of them garbage a moment later.
 */

export interface Lane<S> {
  readonly key: string;
  /** Per-device state owned by the caller (the open session). */
  state: S;
  busy: boolean;
  /** Queued in the pool's FIFO for a slot. */
  waiting: boolean;
  readonly queue: QueuedRequest<S, unknown>[];
}

interface QueuedRequest<S, T> {
  run: (lane: Lane<S>) => Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

export class DeviceLanes<S> {
  private readonly lanes = new Map<string, Lane<S>>();
  /** Lanes with a request ready to go, oldest first, each at most once. */
  private readonly ready: Lane<S>[] = [];
  private running = 0;

  constructor(
    private readonly limit: number,
    private readonly initialState: () => S,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`request limit must be a positive integer, got ${limit}`);
  }

  lane(key: string): Lane<S> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { key, state: this.initialState(), busy: false, waiting: false, queue: [] };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Runs `run` once the lane's earlier requests have settled and a slot is free. */
  submit<T>(lane: Lane<S>, run: (lane: Lane<S>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      lane.queue.push({ run, resolve, reject } as QueuedRequest<S, unknown>);
      this.offer(lane);
    });
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queue.length;
    return n;
  }

  all(): IterableIterator<Lane<S>> {
    return this.lanes.values();
  }

  private offer(lane: Lane<S>): void {
    if (lane.busy || lane.waiting || lane.queue.length === 0) return;
    if (this.running < this.limit) this.start(lane);
    else {
      lane.waiting = true;
      this.ready.push(lane);
    }
  }

  private start(lane: Lane<S>): void {
    const req = lane.queue.shift()!;
    lane.busy = true;
    this.running++;
    let p: Promise<unknown>;
    try {
      p = req.run(lane);
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(
      (value) => {
        this.release(lane);
        req.resolve(value);
      },
      (err: unknown) => {
        this.release(lane);
        req.reject(err);
      },
    );
  }

  private release(lane: Lane<S>): void {
    lane.busy = false;
    this.running--;
    // Devices that were waiting for a slot go first; this lane's next request queues behind them.
    while (this.running < this.limit && this.ready.length > 0) {
      const next = this.ready.shift()!;
      next.waiting = false;
      if (!next.busy && next.queue.length > 0) this.start(next);
    }
    this.offer(lane);
  }
}
