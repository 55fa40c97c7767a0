import { add, conflict, num, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import type { JournalEntryRow, JournalLineRow } from './store.ts';

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

/** An entry of a sales order's journal as it is read back. */
interface PostedEntry {
  id: number;
  at: string;
  memo: string;
  workOrderId: string | null;
  ref: string | null;
  lines: { account: string; debit: number; credit: number }[];
}

export interface JournalEntry {
  memo: string;
  salesOrderId?: string | null;
  workOrderId?: string | null;
  ref?: string | null;
  lines: JournalLine[];
}

/** One balanced journal entry (debits = credits, or it is refused); zero lines are left out. */
export function postJournal(uow: UnitOfWork, e: JournalEntry) {
  return postJournals(uow, [e]);
}

/** Several entries, each balanced, in two statements whatever their number (a run of production reports). */
export async function postJournals(uow: UnitOfWork, all: JournalEntry[]) {
  const entries = all
    .map((e) => ({
      ...e,
      lines: e.lines
        .map((l) => ({ account: l.account, debit: l.debit ?? 0, credit: l.credit ?? 0 }))
        .map((l) => (l.debit < 0 || l.credit < 0 ? { account: l.account, debit: -l.credit, credit: -l.debit } : l))
        .filter((l) => l.debit !== 0 || l.credit !== 0),
    }))
    .filter((e) => e.lines.length);
  if (!entries.length) return;
  for (const e of entries) {
    const debit = add(...e.lines.map((l) => l.debit));
    const credit = add(...e.lines.map((l) => l.credit));
    if (debit !== credit) throw conflict(`journal entry does not balance: ${debit} ≠ ${credit}`, { memo: e.memo });
  }
  const [{ ids }] = await uow.query<{ ids: number[] }>(
    `select array(select nextval(pg_get_serial_sequence('erp.journal_entries', 'id')) from generate_series(1, $1::int)) as ids`,
    [entries.length],
  );
  const lines = entries.flatMap((e, i) => e.lines.map((l, k) => ({ entry: ids[i], position: k + 1, ...l })));
  await uow.query(
    `with e as (
       insert into erp.journal_entries (id, memo, sales_order_id, work_order_id, ref)
       select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]))
     insert into erp.journal_lines (entry_id, position, account, debit, credit)
     select * from unnest($6::bigint[], $7::int[], $8::text[], $9::numeric[], $10::numeric[])`,
    [
      ids, entries.map((e) => e.memo), entries.map((e) => e.salesOrderId ?? null), entries.map((e) => e.workOrderId ?? null), entries.map((e) => e.ref ?? null),
      lines.map((l) => l.entry), lines.map((l) => l.position), lines.map((l) => l.account), lines.map((l) => l.debit), lines.map((l) => l.credit),
    ],
  );
}

/** The journal of one sales order (every entry with its lines) and its totals. */
export async function orderJournal(q: Queryable, salesOrderId: string) {
  const rows = await q.query<Omit<JournalEntryRow, 'sales_order_id'> & Pick<JournalLineRow, 'account' | 'debit' | 'credit'>>(
    `select e.id, e.at, e.memo, e.work_order_id, e.ref, l.account, l.debit, l.credit
       from erp.journal_entries e join erp.journal_lines l on l.entry_id = e.id
      where e.sales_order_id = $1 order by e.id, l.position`,
    [salesOrderId],
  );
  const entries = new Map<number, PostedEntry>();
  for (const r of rows) {
    const id = Number(r.id);
    let entry = entries.get(id);
    if (!entry) entries.set(id, (entry = { id, at: r.at.toISOString(), memo: r.memo, workOrderId: r.work_order_id, ref: r.ref, lines: [] }));
    entry.lines.push({ account: r.account, debit: num(r.debit), credit: num(r.credit) });
  }
  const all = [...entries.values()];
  const debit = add(...all.flatMap((e) => e.lines.map((l) => l.debit)), 0);
  const credit = add(...all.flatMap((e) => e.lines.map((l) => l.credit)), 0);
  const balances: Record<string, number> = {};
  for (const e of all) for (const l of e.lines) balances[l.account] = add(balances[l.account] ?? 0, l.debit, -l.credit);
  return { salesOrderId, entries: all, debit, credit, balanced: debit === credit, balances };
}
