import { generatePlant } from './planning-mrp.ts';
import { runMrp } from '../src/planning/mrp/index.ts';
const input = generatePlant();
const pegging = process.argv[2] !== 'nopeg';
for (let k = 0; k < 2; k++) {
  const t = performance.now();
  const r = runMrp(input, { pegging });
  console.log(pegging, r.plannedOrders.length, ((performance.now() - t) / 1000).toFixed(3));
}
