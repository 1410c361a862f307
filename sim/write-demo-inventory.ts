// Regenerates config/sites.csv: `npx tsx sim/write-demo-inventory.ts`
import { writeFileSync } from 'node:fs';
import { demoInventoryRows, toInventoryCsv } from './demo-inventory.js';

writeFileSync(new URL('../config/sites.csv', import.meta.url), toInventoryCsv(demoInventoryRows()));
