import type { SnmpEndpoint } from '../core/inventory.js';

const keys = new WeakMap<SnmpEndpoint, string>();

/**
 * The identity of a device for sessions, queues and name tables: address, port and
 * credentials (two devices behind one address, as with proxies, stay apart). Inventory
 * endpoints are long-lived objects, so the string is built once per endpoint, not once per
 * request: at 100,000 sites that was several hundred thousand string builds a cycle.
 */
export function endpointKey(e: SnmpEndpoint): string {
  let key = keys.get(e);
  if (key === undefined) {
    key = `${e.host}:${e.port}/${e.profile}`;
    keys.set(e, key);
  }
  return key;
}
