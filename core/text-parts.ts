/**
 * A sentence shown to people in parts: demarc's own words, and data that came from outside
 * demarc (a device's interface name, an OS or SQLite error message) which a page shows inside
 * translate="no" and which the zh-CN page walk does not count as English.
 */
export interface TextPart {
  text: string;
  /** Outside demarc's vocabulary: shown as sent, never translated. */
  data?: true;
}

/** Fills `{name}` placeholders; the names in `data` become data parts, the rest plain text. */
export function fillParts(template: string, params: Readonly<Record<string, string | number>>, data: readonly string[] = []): TextPart[] {
  const out: TextPart[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (m.index > last) out.push({ text: template.slice(last, m.index) });
    const v = String(params[m[1]!] ?? '?');
    out.push(data.includes(m[1]!) ? { text: v, data: true } : { text: v });
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push({ text: template.slice(last) });
  return out;
}

export const partsText = (parts: readonly TextPart[]): string => parts.map((p) => p.text).join('');
