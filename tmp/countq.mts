import pg from 'pg';
const counts = new Map<string, number>();
let total = 0;
const orig = pg.Client.prototype.query as any;
(pg.Client.prototype as any).query = function (this: unknown, ...a: any[]) {
  total++;
  const t = typeof a[0] === 'string' ? a[0] : a[0]?.text ?? a[0]?.name ?? '?';
  const k = String(t).replace(/\s+/g, ' ').slice(0, 110);
  counts.set(k, (counts.get(k) ?? 0) + 1);
  return orig.apply(this, a);
};
process.argv.push('--db', 'postgres', '--requests', '200', '--concurrency', '1');
const { main } = await import('/work/main/bench/integration-inbound.ts');
const before = total;
await main();
console.log('total queries', total - before);
[...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 45).forEach(([k, v]) => console.log(String(v).padStart(6), k));
