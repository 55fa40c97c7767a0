/** A lot number from the configured pattern: {item}, {wo}, {yyyy}{mm}{dd} (UTC day), {seq}. Pure. */
export function lotNumber(pattern: string, v: { item: string; workOrder: string; at: Date; seq: number }): string {
  const d = v.at.toISOString();
  return pattern
    .replaceAll('{item}', v.item)
    .replaceAll('{wo}', v.workOrder)
    .replaceAll('{yyyy}', d.slice(0, 4))
    .replaceAll('{mm}', d.slice(5, 7))
    .replaceAll('{dd}', d.slice(8, 10))
    .replaceAll('{seq}', String(v.seq).padStart(4, '0'));
}
