/**
 * Bad SNMP replies, byte by byte, for the `garbage` fault. A real agent cannot be made to
 * send these, so the agent's own reply is cut or altered on the way out (or replaced).
 */

/** Not BER at all past the first bytes: a SEQUENCE whose INTEGER claims more bytes than exist. */
export const MALFORMED_REPLY = Buffer.from('300c022001ff00ff00ff00ff00ff', 'hex');

/** The first 60% of a reply: what arrives when a datagram is cut short. */
export function truncate(reply: Buffer): Buffer {
  return Buffer.from(reply.subarray(0, Math.max(1, Math.floor(reply.length * 0.6))));
}

interface Tlv {
  tag: number;
  /** Where the value starts and ends. */
  start: number;
  end: number;
}

function readTlv(buf: Buffer, offset: number): Tlv {
  const tag = buf[offset];
  let len = buf[offset + 1];
  if (tag === undefined || len === undefined) throw new RangeError(`BER: no TLV at offset ${offset}`);
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new RangeError(`BER: unsupported length form at offset ${offset}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[start + i] ?? 0);
    start += n;
  }
  if (start + len > buf.length) throw new RangeError(`BER: length at offset ${offset} runs past the message`);
  return { tag, start, end: start + len };
}

/**
 * Where the id that matches a reply to its request sits: the PDU request-id in SNMPv1/v2c,
 * the msgID of msgGlobalData in SNMPv3 (the v3 PDU is encrypted; managers match on msgID).
 */
export function requestIdLocation(msg: Buffer): Tlv {
  const top = readTlv(msg, 0);
  if (top.tag !== 0x30) throw new RangeError('BER: an SNMP message starts with a SEQUENCE');
  const version = readTlv(msg, top.start);
  if (version.tag !== 0x02) throw new RangeError('BER: the SNMP version is not an INTEGER');
  const next = readTlv(msg, version.end);
  if (msg[version.start] === 3 && version.end - version.start === 1) {
    const id = readTlv(msg, next.start); // msgGlobalData SEQUENCE → msgID INTEGER
    if (id.tag !== 0x02) throw new RangeError('BER: msgID is not an INTEGER');
    return id;
  }
  const pdu = readTlv(msg, next.end); // community OCTET STRING, then the PDU
  const id = readTlv(msg, pdu.start);
  if (id.tag !== 0x02) throw new RangeError('BER: request-id is not an INTEGER');
  return id;
}

/** The same reply with another request id (its lowest bit flipped: same length, same sign). */
export function withWrongRequestId(reply: Buffer): Buffer {
  const out = Buffer.from(reply);
  const id = requestIdLocation(out);
  out[id.end - 1] = out[id.end - 1]! ^ 0x01;
  return out;
}

/** The request id of an SNMP message (v1/v2c request-id or v3 msgID). */
export function readRequestId(msg: Buffer): number {
  const id = requestIdLocation(msg);
  let v = 0;
  for (let i = id.start; i < id.end; i++) v = v * 256 + msg[i]!;
  return v;
}
