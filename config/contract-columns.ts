import type { ContractDates } from '../core/inventory.js';

/** sites.csv columns for the circuit register (all optional). */
export const CONTRACT_COLUMNS = [
  'order_date', 'required_activation_date', 'termination_notice_date', 'service_end_date', 'term_months', 'one_time_fee_yuan', 'monthly_fee_yuan',
] as const;

/**
 * Reads a row's contract columns; a bad value is reported with its column. Returns undefined
 * when the row has none of them.
 */
export function contractColumns(get: (col: string) => string, isValidDate: (d: string) => boolean, problem: (col: string, reason: string) => void): ContractDates | undefined {
  if (CONTRACT_COLUMNS.every((c) => !get(c))) return undefined;
  const date = (col: string) => {
    const v = get(col);
    if (!v) return null;
    if (!isValidDate(v)) problem(col, `"${v}" is not a date (YYYY-MM-DD)`);
    return v;
  };
  const fen = (col: string) => {
    const v = get(col);
    if (!v) return null;
    const n = Number(v);
    if (!/^\d+(\.\d{1,2})?$/.test(v) || !Number.isFinite(n)) {
      problem(col, `"${v}" is not an amount in yuan (e.g. 5000 or 5000.50)`);
      return null;
    }
    return Math.round(n * 100);
  };
  const months = get('term_months');
  if (months && !/^[1-9]\d{0,2}$/.test(months)) problem('term_months', `"${months}" is not a whole number of months`);
  return {
    orderDate: date('order_date'),
    requiredActivationDate: date('required_activation_date'),
    terminationNoticeDate: date('termination_notice_date'),
    serviceEndDate: date('service_end_date'),
    termMonths: months ? Number(months) : null,
    oneTimeFeeFen: fen('one_time_fee_yuan'),
    monthlyFeeFen: fen('monthly_fee_yuan'),
  };
}
