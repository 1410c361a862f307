import type { RouteRecordRaw } from 'vue-router';

/**
 * The console's operations pages. Each is loaded when first opened, so the wall's bundle
 * stays as it was.
 */
export const opsRoutes: RouteRecordRaw[] = [
  { path: '/maintenance', name: 'maintenance', component: () => import('../views/MaintenanceView.vue') },
  { path: '/silences', name: 'silences', component: () => import('../views/SilencesView.vue') },
  { path: '/alerts', name: 'alerts', component: () => import('../views/AlertsView.vue') },
  { path: '/reports', name: 'reports', component: () => import('../views/ReportsView.vue') },
  { path: '/health', name: 'health', component: () => import('../views/HealthView.vue') },
];
