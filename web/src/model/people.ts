import type { IncidentDto } from '../../../core/events.js';

/** Users by id, as GET /api/people lists them: people are shown by name, never by id. */
export type People = ReadonlyMap<string, string>;

/** The name of a user id; an id nobody knows (a removed account, an ack link's contact) is shown as recorded. */
export function displayName(id: string | null | undefined, people: People): string {
  if (id === null || id === undefined || id === '') return '—';
  return people.get(id) ?? id;
}

/** Evidence parameters that hold a user id, by name of the parameter. */
const PERSON_PARAMS = ['by', 'proposedBy', 'registeredBy'] as const;

/** The evidence with user ids replaced by names, ready for core/terms.ts to render. */
export function withNames(evidence: IncidentDto['evidence'], people: People): IncidentDto['evidence'] {
  return evidence.map((e) => {
    if (!e.params || !PERSON_PARAMS.some((k) => typeof e.params![k] === 'string')) return e;
    const params = { ...e.params };
    for (const k of PERSON_PARAMS) if (typeof params[k] === 'string') params[k] = displayName(params[k] as string, people);
    return { ...e, params };
  });
}
