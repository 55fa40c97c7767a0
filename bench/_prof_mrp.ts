import { generatePlant } from './planning-mrp.ts';
import { runMrp } from '../src/planning/mrp/index.ts';
const input = generatePlant();
const pegging = process.argv[2] !== 'nopeg';
const times: number[] = [];
for (let k = 0; k < 5; k++) {
  const t = performance.now();
  runMrp(input, { pegging });
  times.push(performance.now() - t);
}
console.log(pegging ? 'peg' : 'nopeg', times.map((t) => t.toFixed(0)).join(' '));
