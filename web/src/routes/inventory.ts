import type { RouteRecordRaw } from 'vue-router';
import DevicesView from '../views/inventory/DevicesView.vue';
import DeviceView from '../views/inventory/DeviceView.vue';
import EditsView from '../views/inventory/EditsView.vue';
import RegisterView from '../views/inventory/RegisterView.vue';

/** The inventory pages: devices (with changes and configuration gaps), one device, the circuit register, the two-person edits. */
export const inventoryRoutes: RouteRecordRaw[] = [
  { path: '/inventory', name: 'inventory-devices', component: DevicesView },
  { path: '/inventory/devices/:id', name: 'inventory-device', component: DeviceView, props: true },
  { path: '/inventory/circuits', name: 'inventory-register', component: RegisterView },
  { path: '/inventory/edits', name: 'inventory-edits', component: EditsView },
];
