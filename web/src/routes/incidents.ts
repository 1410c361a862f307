import type { RouteRecordRaw } from 'vue-router';
import ApprovalsView from '../views/ApprovalsView.vue';
import IncidentDetailView from '../views/IncidentDetailView.vue';
import IncidentListView from '../views/IncidentListView.vue';

/** The console's incident pages: the filtered list, one incident with its actions, the approver's queue. */
export const incidentRoutes: RouteRecordRaw[] = [
  { path: '/incidents', name: 'incidents', component: IncidentListView },
  { path: '/incidents/:id', name: 'incident', component: IncidentDetailView, props: true },
  { path: '/approvals', name: 'approvals', component: ApprovalsView },
];
