/**
 * The rows of a benchmark that runs the same steps on both metric stores: each measurement is
 * set by label and backend as it comes in, and the rows print in first-set order, '–' where a
 * backend did not run that step.
 */
export class BackendTable {
  private readonly rows: { label: string; embedded: string; influx: string }[] = [];

  set(label: string, backend: 'embedded' | 'influx', value: string): void {
    let row = this.rows.find((r) => r.label === label);
    if (!row) {
      row = { label, embedded: '–', influx: '–' };
      this.rows.push(row);
    }
    row[backend] = value;
  }

  /** The body rows of the markdown table (the caller prints the header it wants). */
  lines(): string[] {
    return this.rows.map((r) => `| ${r.label} | ${r.embedded} | ${r.influx} |`);
  }
}
