/**
 * Numeric OIDs, resolved at build time rather than by loading MIB files at run time
 * (snmp_exporter does the same): no MIB parser on the hot path, no missing-MIB surprises.
 */
export const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
export const SYS_NAME = '1.3.6.1.2.1.1.5.0';
export const HR_SYSTEM_UPTIME = '1.3.6.1.2.1.25.1.1.0';

/** ifTable columns (1.3.6.1.2.1.2.2.1.<col>.<ifIndex>). */
export const IF_DESCR = '1.3.6.1.2.1.2.2.1.2';
export const IF_SPEED = '1.3.6.1.2.1.2.2.1.5';
export const IF_ADMIN_STATUS = '1.3.6.1.2.1.2.2.1.7';
export const IF_OPER_STATUS = '1.3.6.1.2.1.2.2.1.8';
export const IF_LAST_CHANGE = '1.3.6.1.2.1.2.2.1.9';
export const IF_IN_OCTETS = '1.3.6.1.2.1.2.2.1.10';
export const IF_IN_DISCARDS = '1.3.6.1.2.1.2.2.1.13';
export const IF_IN_ERRORS = '1.3.6.1.2.1.2.2.1.14';
export const IF_OUT_OCTETS = '1.3.6.1.2.1.2.2.1.16';
export const IF_OUT_DISCARDS = '1.3.6.1.2.1.2.2.1.19';
export const IF_OUT_ERRORS = '1.3.6.1.2.1.2.2.1.20';

/** ifXTable columns (1.3.6.1.2.1.31.1.1.1.<col>.<ifIndex>). */
export const IF_X_TABLE = '1.3.6.1.2.1.31.1.1';
export const IF_NAME = '1.3.6.1.2.1.31.1.1.1.1';
export const IF_HC_IN_OCTETS = '1.3.6.1.2.1.31.1.1.1.6';
export const IF_HC_OUT_OCTETS = '1.3.6.1.2.1.31.1.1.1.10';
export const IF_HIGH_SPEED = '1.3.6.1.2.1.31.1.1.1.15';
export const IF_ALIAS = '1.3.6.1.2.1.31.1.1.1.18';
export const IF_COUNTER_DISCONTINUITY_TIME = '1.3.6.1.2.1.31.1.1.1.19';

export const col = (column: string, ifIndex: number) => `${column}.${ifIndex}`;
