import { add, conflict, num, type Queryable, type UnitOfWork } from '../../platform/index.ts';

/** The chart of accounts the cost flow posts to. */
export const ACCOUNTS = {
  rawMaterials: '1300 Raw materials',
  wip: '1400 Work in progress',
  semiFinished: '1450 Semi-finished goods',
  finishedGoods: '1500 Finished goods',
  goodsReceived: '2100 Goods received not invoiced',
  accruedLabor: '2200 Accrued labour',
  appliedOverhead: '2300 Applied machine and energy',
  opening: '3900 Opening balances',
  cogs: '5000 Cost of goods sold',
  variance: '5100 Production variance',
  adjustments: '5900 Inventory adjustments',
} as const;

export const stockAccount = (kind: string) =>
  kind === 'raw' ? ACCOUNTS.rawMaterials : kind === 'semi' ? ACCOUNTS.semiFinished : ACCOUNTS.finishedGoods;

export interface JournalLine {
  account: string;
  debit?: number;
  credit?: number;
}

/** One balanced journal entry (debits = credits, or it is refused); zero lines are left out. */
export async function postJournal(
  uow: UnitOfWork,
  e: { memo: string; salesOrderId?: string | null; workOrderId?: string | null; ref?: string | null; lines: JournalLine[] },
) {
  const lines = e.lines
    .map((l) => ({ account: l.account, debit: l.debit ?? 0, credit: l.credit ?? 0 }))
    .map((l) => (l.debit < 0 || l.credit < 0 ? { account: l.account, debit: -l.credit, credit: -l.debit } : l))
    .filter((l) => l.debit !== 0 || l.credit !== 0);
  if (!lines.length) return;
  const debit = add(...lines.map((l) => l.debit));
  const credit = add(...lines.map((l) => l.credit));
  if (debit !== credit) throw conflict(`journal entry does not balance: ${debit} ≠ ${credit}`, { memo: e.memo });
  const [{ id }] = await uow.query<{ id: number }>(
    'insert into erp.journal_entries (memo, sales_order_id, work_order_id, ref) values ($1, $2, $3, $4) returning id',
    [e.memo, e.salesOrderId ?? null, e.workOrderId ?? null, e.ref ?? null],
  );
  await uow.query(
    `insert into erp.journal_lines (entry_id, position, account, debit, credit)
     select $1, * from unnest($2::int[], $3::text[], $4::numeric[], $5::numeric[])`,
    [id, lines.map((_, i) => i + 1), lines.map((l) => l.account), lines.map((l) => l.debit), lines.map((l) => l.credit)],
  );
}

/** The journal of one sales order (every entry with its lines) and its totals. */
export async function orderJournal(q: Queryable, salesOrderId: string) {
  const rows = await q.query(
    `select e.id, e.at, e.memo, e.work_order_id, e.ref, l.account, l.debit, l.credit
       from erp.journal_entries e join erp.journal_lines l on l.entry_id = e.id
      where e.sales_order_id = $1 order by e.id, l.position`,
    [salesOrderId],
  );
  const entries = new Map<number, any>();
  for (const r of rows) {
    const id = Number(r.id);
    let entry = entries.get(id);
    if (!entry) entries.set(id, (entry = { id, at: (r.at as Date).toISOString(), memo: r.memo, workOrderId: r.work_order_id, ref: r.ref, lines: [] }));
    entry.lines.push({ account: r.account, debit: num(r.debit), credit: num(r.credit) });
  }
  const all = [...entries.values()];
  const debit = add(...all.flatMap((e) => e.lines.map((l: any) => l.debit)), 0);
  const credit = add(...all.flatMap((e) => e.lines.map((l: any) => l.credit)), 0);
  const balances: Record<string, number> = {};
  for (const e of all) for (const l of e.lines) balances[l.account] = add(balances[l.account] ?? 0, l.debit, -l.credit);
  return { salesOrderId, entries: all, debit, credit, balanced: debit === credit, balances };
}
