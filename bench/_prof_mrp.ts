import { generatePlant } from './planning-mrp.ts';
import { runMrp } from '../src/planning/mrp/index.ts';
const input = generatePlant();
const pegging = process.argv[2] !== 'nopeg';
const min = [Infinity, Infinity, Infinity, Infinity];
for (let k = 0; k < 6; k++) {
  const t = performance.now();
  runMrp(input, { pegging });
  const ph = (globalThis as any).phases;
  min[0] = Math.min(min[0], ph[0]); min[1] = Math.min(min[1], ph[1]); min[2] = Math.min(min[2], ph[2]); min[3] = Math.min(min[3], performance.now() - t);
}
console.log(pegging ? 'peg' : 'nopeg', 'min ms: prepare', min[0].toFixed(0), 'plan', min[1].toFixed(0), 'result', min[2].toFixed(0), 'total', min[3].toFixed(0));
