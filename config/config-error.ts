/** One thing wrong with the configuration, located precisely enough to fix it. */
export interface ConfigProblem {
  /** File the problem is in. */
  file: string;
  /** CSV row number (the header is row 1) or null for YAML. */
  row: number | null;
  /** CSV column or YAML path (e.g. `snmp.profiles.ce.authKey`). */
  where: string;
  reason: string;
}

/** Thrown when config or inventory is invalid; carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`${problems.length} configuration problem(s):\n` + problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  const at = p.row === null ? `${p.file}: ${p.where}` : `${p.file}: row ${p.row}, column ${p.where}`;
  return `  ${at}: ${p.reason}`;
}
