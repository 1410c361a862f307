/**
 * Just enough MIME (RFC 2045-2047) to read back what nodemailer sent: headers, encoded-word
 * subjects, nested multiparts, base64 and quoted-printable bodies.
 */

export interface MimePart {
  headers: Map<string, string>;
  body: Buffer;
  parts: MimePart[];
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return headers;
}

export function headerParam(value: string | undefined, name: string): string | null {
  const m = new RegExp(`${name}\\*?="?([^";]+)"?`, 'i').exec(value ?? '');
  return m ? m[1]! : null;
}

/** =?UTF-8?B?...?= and =?UTF-8?Q?...?= words, joined. */
export function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_m, _cs: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

function decodeBody(raw: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').toLowerCase()) {
    case 'base64':
      return Buffer.from(raw.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    default:
      return Buffer.from(raw, 'latin1');
  }
}

export function parseMime(raw: Buffer | string): MimePart {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const headers = parseHeaders(split < 0 ? text : text.slice(0, split));
  const bodyText = split < 0 ? '' : text.slice(split + 4);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = headerParam(type, 'boundary');
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const pieces = bodyText.split(`--${boundary}`).slice(1);
    const parts = pieces.filter((p) => !p.startsWith('--')).map((p) => parseMime(p.replace(/^\r\n/, '').replace(/\r\n$/, '')));
    return { headers, body: Buffer.alloc(0), parts };
  }
  return { headers, body: decodeBody(bodyText, headers.get('content-transfer-encoding')), parts: [] };
}

export function leafParts(p: MimePart): MimePart[] {
  return p.parts.length ? p.parts.flatMap(leafParts) : [p];
}
