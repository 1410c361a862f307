import type { RouteRecordRaw } from 'vue-router';

/**
 * The console's operations pages. Each is loaded when first opened, so the wall's bundle
 * stays as it was. `opsNavItems` is what the header's navigation shows for them.
 */
export const opsRoutes: RouteRecordRaw[] = [
  { path: '/maintenance', name: 'maintenance', component: () => import('../views/MaintenanceView.vue') },
  { path: '/silences', name: 'silences', component: () => import('../views/SilencesView.vue') },
  { path: '/alerts', name: 'alerts', component: () => import('../views/AlertsView.vue') },
  { path: '/reports', name: 'reports', component: () => import('../views/ReportsView.vue') },
  { path: '/health', name: 'health', component: () => import('../views/HealthView.vue') },
];

export interface NavItem {
  to: string;
  /** i18n key of the link's text. */
  label: string;
  testId: string;
}

export const opsNavItems: readonly NavItem[] = [
  { to: '/maintenance', label: 'ops.nav.maintenance', testId: 'nav-maintenance' },
  { to: '/silences', label: 'ops.nav.silences', testId: 'nav-silences' },
  { to: '/alerts', label: 'ops.nav.alerts', testId: 'nav-alerts' },
  { to: '/reports', label: 'ops.nav.reports', testId: 'nav-reports' },
  { to: '/health', label: 'ops.nav.health', testId: 'nav-health' },
];
