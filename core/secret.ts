import { inspect } from 'node:util';

/**
 * A credential read from config (SNMP community, v3 keys, SMTP password).
 * It never prints itself: JSON, string conversion and util.inspect all give a placeholder,
 * so a secret cannot leak through a log line, an API response or an error message.
 * Only the code that hands it to a protocol library calls reveal().
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '<secret>';
  }
  toJSON(): string {
    return '<secret>';
  }
  [inspect.custom](): string {
    return '<secret>';
  }
}
