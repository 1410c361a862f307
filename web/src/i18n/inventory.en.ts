import { CONTRACT_STATUS_TERMS, RENEWAL_DECISION_TERMS, wordsIn } from '../../../core/terms.js';
import type { InventoryMessages } from './inventory.zh-CN.js';

const inventoryEn: InventoryMessages = {
  nav: { devices: 'Devices', register: 'Circuit register', edits: 'Inventory changes' },
  devices: {
    title: 'Devices', id: 'Device', role: 'Role', site: 'Site', endpoint: 'Endpoint', vendor: 'Vendor', model: 'Model', serial: 'Serial', software: 'Software',
    lastDiscovery: 'Last discovery', gaps: 'Gaps', never: 'never discovered', report: 'Inventory report (XLSX)',
  },
  device: { title: 'Device {id}', facts: 'System', entities: 'Entities (ENTITY-MIB)', interfaces: 'Interfaces', history: 'History', none: '(none)', back: 'Back to devices' },
  changes: { title: 'Changes, last 31 days', at: 'Time', device: 'Device', kind: 'Kind', detail: 'Detail', none: 'No changes in the last 31 days' },
  gaps: { title: 'Configuration gaps', config: 'Configured names the devices do not have (not an outage)', discovery: 'What discovery could not read', none: 'No configuration gaps' },
  register: {
    title: 'Circuit register', asOf: 'as of {day}', circuit: 'Circuit', site: 'Site', status: 'Status', order: 'Ordered', required: 'Required by', activated: 'Activated',
    termEnd: 'Term ends', deadline: 'Notice deadline', decision: 'Renewal', lateDays: 'Working days late', credit: 'Credit (CNY)', warning: '{days} days to the notice deadline',
    statusWords: wordsIn(CONTRACT_STATUS_TERMS, 'en'), decisionWords: wordsIn(RENEWAL_DECISION_TERMS, 'en'),
  },
  edits: {
    title: 'Inventory changes (two people)', importTitle: 'Import CSV / XLSX', choose: 'Choose file', previewBtn: 'Show diff', reason: 'Reason', proposeBtn: 'Propose',
    editTitle: 'Change a site field', siteId: 'Site id', column: 'Field', value: 'New value', removeSite: 'Remove this site', proposeEdit: 'Propose change',
    diff: 'Diff', added: '{n} added', changed: '{n} changed', removed: '{n} removed', noDiff: 'Same as the current inventory', before: 'Before', after: 'After',
    problems: 'The file has errors; nothing was changed:', row: 'row {row}', proposals: 'Waiting and decided', approve: 'Approve', reject: 'Reject', rejectNote: 'Why rejected',
    state: { proposed: 'Waiting', applied: 'Applied', rejected: 'Rejected' }, by: 'proposed by {who} at {at}', decided: 'decided by {who}', proposed: 'Proposed; a second person must approve it (no. {id})',
    selfNote: 'Nobody approves their own change', applied: 'Applied; demarc is restarting on the new inventory',
  },
};

export default inventoryEn;
