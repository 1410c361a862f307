import { getJson } from './http.js';

/** One circuit of the register (`GET /api/inventory/circuits`), as far as the site page reads it. */
interface RegisterEntryDto {
  siteId: string;
  activationDate: string | null;
  renewal: { termEnd: string } | null;
}

/** The site's contract term (activation → end of the current term), or null when the register has none. */
export async function fetchTerm(siteId: string, signal?: AbortSignal): Promise<{ activationDate: string; termEnd: string } | null> {
  const r = await getJson<{ circuits: RegisterEntryDto[] }>('/api/inventory/circuits', signal);
  const c = r.circuits.find((e) => e.siteId === siteId);
  return c?.activationDate && c.renewal ? { activationDate: c.activationDate, termEnd: c.renewal.termEnd } : null;
}
