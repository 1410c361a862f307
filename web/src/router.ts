import { createRouter, createWebHistory } from 'vue-router';
import { incidentRoutes } from './routes/incidents.js';
import { useAuthStore } from './stores/auth.js';
import LoginView from './views/LoginView.vue';
import SiteView from './views/SiteView.vue';
import WallView from './views/WallView.vue';
import { inventoryRoutes } from './routes/inventory.js';
import { opsRoutes } from './routes/ops.js';

// History mode: the API serves index.html for any non-API path so /wall can be bookmarked.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/wall', name: 'wall', component: WallView, meta: { wall: true } },
    { path: '/sites/:id', name: 'site', component: SiteView, props: true },
    ...incidentRoutes,
    ...inventoryRoutes,
    ...opsRoutes,
    { path: '/:rest(.*)*', redirect: '/wall' },
  ],
});

/**
 * Every page but the login needs a signed-in caller. The wall's kiosk URL carries its display
 * token in the fragment (/wall#token=…): a fragment is never sent to a server, so the token
 * stays out of access logs and proxies; it is exchanged for a display session and removed
 * from the address bar at once.
 */
router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const auth = useAuthStore();
  const token = /^#token=(.+)$/.exec(to.hash)?.[1];
  if (token) {
    const ok = await auth.enterDisplay(decodeURIComponent(token));
    return ok ? { path: to.path, query: to.query, hash: '', replace: true } : { name: 'login', query: { next: to.path, display: 'refused' } };
  }
  if (!auth.checked) await auth.load();
  return auth.user ? true : { name: 'login', query: { next: to.fullPath } };
});
