import type { WindowProposalDto } from '../api/ops-endpoints.js';

/**
 * Why a window change waits for a second person, as a message key and its parameters: the
 * server's `why` is an English sentence for the log; the console words it from the change.
 */
export function proposalReason(p: Pick<WindowProposalDto, 'change' | 'why'>): { key: 'whyGroup' | 'whyLong' | 'whyBegun'; params: Record<string, string> } {
  if (p.change.kind === 'delete') return { key: 'whyBegun', params: {} };
  const scope = p.change.window.scope;
  if (scope.kind === 'carrier-group') return { key: 'whyGroup', params: { group: scope.carrierGroup } };
  const hours = /longer than ([\d.]+) h/.exec(p.why)?.[1] ?? '';
  return { key: 'whyLong', params: { hours } };
}

/** The row a proposal's window would take on the timeline, and its label. */
export function proposalScope(p: Pick<WindowProposalDto, 'change'>): { scopeKey: string; label: string } | null {
  if (p.change.kind !== 'create') return null;
  const s = p.change.window.scope;
  return s.kind === 'site' ? { scopeKey: `site:${s.siteId}`, label: s.siteId } : { scopeKey: `group:${s.carrierGroup}`, label: s.carrierGroup };
}
