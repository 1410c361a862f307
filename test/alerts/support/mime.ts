/**
 * Just enough MIME to read what nodemailer sends: headers (unfolded, RFC 2047 words decoded),
 * multipart bodies, base64 and quoted-printable parts in UTF-8.
 */
export interface MimeMessage {
  headers: Map<string, string>;
  subject: string;
  text: string | null;
  html: string | null;
}

function splitHead(raw: string): { head: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const headText = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const head = new Map<string, string>();
  for (const line of headText.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) head.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { head, body };
}

function decodeQp(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(out);
}

function decodeBody(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '7bit').toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return decodeQp(body).toString('utf8');
  return body;
}

export function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

export function parseMime(raw: string): MimeMessage {
  const { head, body } = splitHead(raw);
  const out: MimeMessage = { headers: head, subject: decodeWords(head.get('subject') ?? ''), text: null, html: null };
  const walk = (h: Map<string, string>, b: string) => {
    const type = (h.get('content-type') ?? 'text/plain').toLowerCase();
    const boundary = /boundary="?([^";]+)"?/i.exec(h.get('content-type') ?? '')?.[1];
    if (type.startsWith('multipart/') && boundary) {
      for (const part of b.split(`--${boundary}`).slice(1)) {
        if (part.startsWith('--')) break;
        const p = splitHead(part.replace(/^\r\n/, ''));
        walk(p.head, p.body.replace(/\r\n$/, ''));
      }
      return;
    }
    const decoded = decodeBody(b, h.get('content-transfer-encoding'));
    if (type.startsWith('text/html')) out.html = decoded;
    else if (type.startsWith('text/plain')) out.text = decoded;
  };
  walk(head, body);
  return out;
}
