import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/**
 * Starts a cycle every `intervalMs` on a fixed cadence. A cycle still running when the next
 * is due is an overrun: the next start is skipped and counted, never stacked behind it, so a
 * slow network cannot snowball into an ever-growing queue of polls.
 */
export class CycleScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private cycle = 0;
  private nextAt = 0;
  overruns = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly runCycle: (cycle: number, startedAt: number) => Promise<void>,
  ) {}

  start(): void {
    this.nextAt = this.clock.now();
    this.tick();
  }

  private tick(): void {
    const startedAt = this.clock.now();
    if (this.running) {
      this.overruns++;
      this.logger.warn({ cycle: this.cycle, intervalMs: this.intervalMs, overruns: this.overruns }, 'poll cycle overran its interval; skipping a start');
    } else {
      const n = ++this.cycle;
      this.running = this.runCycle(n, startedAt)
        .catch((err: unknown) => this.logger.error({ err, cycle: n }, 'poll cycle failed'))
        .finally(() => {
          this.running = null;
        });
    }
    this.nextAt += this.intervalMs;
    // Catch up without a burst if the process was paused: skip missed ticks.
    while (this.nextAt <= this.clock.now()) this.nextAt += this.intervalMs;
    this.timer = setTimeout(() => this.tick(), this.nextAt - this.clock.now());
  }

  /** Stops starting cycles and waits for the one in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
