import type { TrackedIncident } from './incident-facts.js';

/** What one round of the tracker did to which incidents; turned into events at the end of it. */
export class IncidentLedger {
  readonly opened = new Set<TrackedIncident>();
  readonly touched = new Set<TrackedIncident>();
  readonly closed = new Set<TrackedIncident>();

  open(t: TrackedIncident): void {
    this.opened.add(t);
    this.touched.add(t);
  }
  touch(t: TrackedIncident): void {
    this.touched.add(t);
  }
  close(t: TrackedIncident): void {
    this.closed.add(t);
    this.touched.add(t);
  }
}
