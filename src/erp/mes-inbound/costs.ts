import type { Payload } from '../../messages/index.ts';
import { add, q, sub, type Message, type UnitOfWork } from '../../platform/index.ts';
import { ACCOUNTS, postJournals } from '../costing/journal.ts';
import { workOrderCosts } from '../costing/store.ts';

type Performance = { m: Message; p: Payload<'ProcessOperationsPerformance'> };

/**
 * The time a run of progress reports booked, at the rates the MES copied onto each booking: one
 * insert of the cost bookings and their journal entries (work in progress against accrued labour
 * and applied overhead).
 */
export async function bookConversion(uow: UnitOfWork, all: Performance[]) {
  const booked = all.filter(({ p: { booked: b } }) => b.laborMinutes || b.machineMinutes || b.energyKwh || b.laborCost || b.machineCost || b.energyCost);
  if (booked.length) {
    const col = <T,>(f: (x: (typeof booked)[number]) => T) => booked.map(f);
    await uow.query(
      `insert into erp.cost_bookings (work_order_id, sales_order_id, at, labor_minutes, machine_minutes, energy_kwh, labor_cost, machine_cost, energy_cost, message_id)
       select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::text[])`,
      [
        col((x) => x.p.workOrderId), col((x) => x.p.salesOrderId), col((x) => x.p.at), col((x) => x.p.booked.laborMinutes), col((x) => x.p.booked.machineMinutes),
        col((x) => x.p.booked.energyKwh), col((x) => x.p.booked.laborCost), col((x) => x.p.booked.machineCost), col((x) => x.p.booked.energyCost), col((x) => x.m.id),
      ],
    );
    await postJournals(
      uow,
      booked.map(({ m, p: { booked: b, ...p } }) => ({
        memo: `conversion booked on ${p.workOrderId}`,
        salesOrderId: p.salesOrderId,
        workOrderId: p.workOrderId,
        ref: m.id,
        lines: [
          { account: ACCOUNTS.wip, debit: add(b.laborCost, b.machineCost, b.energyCost) },
          { account: ACCOUNTS.accruedLabor, credit: b.laborCost },
          { account: ACCOUNTS.appliedOverhead, credit: add(b.machineCost, b.energyCost) },
        ],
      })),
    );
  }
}

/**
 * The unit cost of a lot a work order produced: its actual cost so far (issued material + booked
 * time − what earlier lots of it took out of work in progress) over the lot's quantity.
 */
export async function producedUnitCost(uow: UnitOfWork, workOrderId: string, qty: number) {
  const cost = (await workOrderCosts(uow, [workOrderId])).get(workOrderId)!;
  const wip = sub(add(cost.material, cost.labor, cost.machine, cost.energy), cost.received);
  return qty > 0 && wip > 0 ? q(wip / qty) : 0;
}
