import { createRequire } from 'node:module';

/**
 * net-snmp encodes every OID of every request through asn1-ber's `Writer.writeOID` (a regex,
 * a split, then byte by byte) and decodes every OID of every reply through `Reader.readOID`
 * (byte by byte, then a join). A collector sends and receives the same few thousand OIDs every
 * cycle; in bench/poll's CPU profile at 10,000 sites these two were the hottest JavaScript of
 * the collector (14 % and 7 % of its busy time). Both are pure functions of the bytes, so their
 * results are memoized here. The first time an OID is seen it goes through asn1-ber unchanged
 * (same validation, same errors); later it is a map lookup.
 */

/** Enough for every column × ifIndex a large fleet polls; a cache is dropped and refilled past it. */
const MAX_ENTRIES = 65_536;

/** The ASN.1 universal tag of OBJECT IDENTIFIER, asn1-ber's default for both methods. */
const OID_TAG = 0x06;

interface WriterInternals {
  _buf: Buffer;
  _offset: number;
  _ensure(len: number): void;
}
interface ReaderInternals {
  _buf: Buffer;
  _size: number;
  _offset: number;
  /** Set by readLength: the length just read. */
  length: number;
  peek(): number | null;
  readLength(offset: number): number | null;
}
type WriteOid = (this: WriterInternals, oid: string, tag?: number) => void;
type ReadOid = (this: ReaderInternals, tag?: number) => string | null;
interface AsnBer {
  Ber: { Writer: { prototype: { writeOID: WriteOid } }; Reader: { prototype: { readOID: ReadOid } } };
}

// The copy of asn1-ber that net-snmp itself loads (npm deduplicates it to the top level).
const netSnmpRequire = createRequire(createRequire(import.meta.url).resolve('net-snmp'));

function bounded<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, value);
}

export interface OidCodecCache {
  encoded(): number;
  decoded(): number;
}

let installed: OidCodecCache | null = null;

/** Installs both caches once per process; later calls do nothing. */
export function installOidCodecCache(): OidCodecCache {
  if (installed) return installed;
  const { Writer, Reader } = (netSnmpRequire('asn1-ber') as AsnBer).Ber;

  const writeOid = Writer.prototype.writeOID;
  const encoded = new Map<string, Buffer>();
  Writer.prototype.writeOID = function (oid, tag) {
    const key = tag === undefined ? oid : `${tag}:${oid}`;
    const bytes = typeof oid === 'string' ? encoded.get(key) : undefined;
    if (bytes === undefined) {
      const start = this._offset;
      writeOid.call(this, oid, tag);
      bounded(encoded, key, Buffer.from(this._buf.subarray(start, this._offset)));
      return;
    }
    this._ensure(bytes.length);
    // TypedArray#set: a dozen bytes, without Buffer#copy's argument checks.
    this._buf.set(bytes, this._offset);
    this._offset += bytes.length;
  };

  const readOid = Reader.prototype.readOID;
  const decoded = new Map<string, string>();
  Reader.prototype.readOID = function (tag) {
    const t = tag || OID_TAG;
    // The tag and length as asn1-ber's readString reads them, but the content is looked up by
    // its bytes without slicing a Buffer for it. Anything unusual (another tag, a length past
    // the end) goes to asn1-ber, which returns or throws what it always did.
    const start = this._offset;
    if (this.peek() === t) {
      const contentAt = this.readLength(start + 1);
      if (contentAt !== null && this.length <= this._size - contentAt) {
        const end = contentAt + this.length;
        const bytes = this._buf.toString('latin1', contentAt, end);
        const key = t === OID_TAG ? bytes : `${t}:${bytes}`;
        const hit = decoded.get(key);
        if (hit !== undefined) {
          this._offset = end;
          return hit;
        }
        this._offset = start;
        const oid = readOid.call(this, tag);
        if (oid !== null) bounded(decoded, key, oid);
        return oid;
      }
    }
    this._offset = start;
    return readOid.call(this, tag);
  };

  installed = { encoded: () => encoded.size, decoded: () => decoded.size };
  return installed;
}
