import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/clock.js';
import type { NatsLink } from './nats-link.js';
import type { SpillJournal } from './spill-journal.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Drains the spill journal into JetStream, oldest first, `window` messages at a time. A row is
 * marked sent only once JetStream acknowledged it, and only as part of an unbroken run from the
 * oldest: after a failure everything from the first unacknowledged row is published again, and
 * the rows that had in fact arrived are dropped by the stream's Nats-Msg-Id dedupe.
 */
export class JournalPublisher {
  private wake: (() => void) | null = null;
  private running = true;
  private done: Promise<void>;
  published = 0;
  failures = 0;
  lastError: string | null = null;

  constructor(
    private readonly journal: SpillJournal,
    private readonly link: NatsLink,
    private readonly window: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.done = this.loop();
  }

  /** New rows were journalled. */
  kick(): void {
    this.wake?.();
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  /** One round: true when it sent everything it tried. */
  async round(): Promise<boolean> {
    const rows = this.journal.pending(this.window);
    if (!rows.length) return true;
    const results = await Promise.allSettled(rows.map((r) => this.link.js.publish(r.subject, r.body, { msgID: r.msgId, timeout: 5000 })));
    const firstFailed = results.findIndex((r) => r.status === 'rejected');
    const sent = firstFailed === -1 ? rows : rows.slice(0, firstFailed);
    if (sent.length) this.journal.ack(sent.map((r) => r.seq), this.clock.now());
    this.published += sent.length;
    if (firstFailed === -1) return true;
    this.failures++;
    const reason = (results[firstFailed] as PromiseRejectedResult).reason as Error;
    if (this.lastError !== reason.message) this.logger.warn({ error: reason.message, backlog: this.journal.backlog() }, 'publishing to JetStream failed; the journal keeps the samples');
    this.lastError = reason.message;
    return false;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (!this.link.connected()) {
        await this.idle(250);
        continue;
      }
      try {
        const ok = await this.round();
        if (ok && this.journal.pending(1).length === 0) {
          if (this.lastError) this.logger.info('journal drained; the center has everything again');
          this.lastError = null;
          await this.idle(1000);
        } else if (!ok) await sleep(500);
      } catch (err) {
        this.logger.error({ err }, 'journal publisher failed a round');
        await sleep(1000);
      }
    }
  }

  /** Stops after trying, for at most `flushMs`, to send what is still in the journal. */
  async stop(flushMs: number): Promise<void> {
    const deadline = Date.now() + flushMs;
    while (this.link.connected() && this.journal.backlog() > 0 && Date.now() < deadline) {
      this.kick();
      await sleep(50);
    }
    this.running = false;
    this.kick();
    await this.done;
  }
}
