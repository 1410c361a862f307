import { createRouter, createWebHistory } from 'vue-router';
import IncidentsView from './views/IncidentsView.vue';
import SiteView from './views/SiteView.vue';
import WallView from './views/WallView.vue';

// History mode: the API serves index.html for any non-API path so /wall can be bookmarked.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/wall', name: 'wall', component: WallView, meta: { wall: true } },
    { path: '/sites/:id', name: 'site', component: SiteView, props: true },
    { path: '/incidents', name: 'incidents', component: IncidentsView },
    { path: '/:rest(.*)*', redirect: '/wall' },
  ],
});
