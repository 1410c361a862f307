/**
 * One issued report file in the archive, as the API lists it. Kept free of Node imports so the
 * web console uses the same type (`web/src/api/ops-endpoints.ts`).
 */
export interface ArchivedReport {
  id: number;
  period: string;
  lang: string;
  version: number;
  format: string;
  /** File name inside the archive directory. */
  file: string;
  sha256: string;
  bytes: number;
  generatedAt: string;
  trigger: string;
}
