import type { UnitOfWork } from '../../platform/index.ts';
import { num, raiseAlert, unprocessable } from '../../platform/index.ts';
import { explode, standardConversion, type PlannedWorkOrder } from './model.ts';
import { forwardPass, type PassCentre, type PassOperation, type PassWorkOrder } from './forward-pass.ts';
import { bomAt, loadMasterData, namedBom, type RoutingStep } from './master-data.ts';
import { claimOutsideWork } from './outside-erp.ts';
import { lastOnCentre, passCentre, type PlanOptions } from './plan.ts';

/** One production request: a sales order line, or an order from an outside ERP (`externalRef`). */
export interface ProductionRequest {
  salesOrder?: string | null;
  lineNo?: number | null;
  externalRef?: string | null;
  /** The outside system that asked for it (`integration.systems.code`), with `externalRef`. */
  externalSystem?: string | null;
  itemCode: string;
  qty: number;
  dueDate?: string | null;
  bomVersion?: number | null;
  priority?: number;
  /** The message that asked for it (recorded on the work orders' audit rows). */
  messageId?: string | null;
  /**
   * Makes the request's tree a child of an existing work order (a top-up of a level that was
   * already completed when an increase arrived): its first work order is not `top`.
   */
  under?: { parentWorkOrder: string; level: number; qtyPerParent: number | null };
  /**
   * The moment its BOM versions are frozen at (an outbox position: the approval's message, or the
   * work order a top-up belongs to); null = now. Child levels explode with the versions then in force.
   */
  bomAsOf?: number | null;
  /** The plant when the item has no routing (else its work centres' plant). */
  plant?: string | null;
  /** Demands it covers (make-to-stock from MRP). */
  peggedTo?: string[];
  /** One work order, no child levels (an MRP make suggestion: MRP plans each level itself). */
  singleLevel?: boolean;
  /** Every level must have a routing (make-to-stock): 422 otherwise, instead of an alert. */
  requireRouting?: boolean;
}

export interface CreatedWorkOrder {
  id: string;
  itemCode: string;
  qty: number;
  parentWorkOrder: string | null;
  top: boolean;
  request: number;
  salesOrder: string | null;
  lineNo: number | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  plant: string;
  /** Standard conversion cost: routing minutes × the centres' rates in force; `minutes`: setup + per unit × qty. */
  standard: { labor: number; machine: number; minutes: number };
  /** Where its material is staged: the supply warehouse of its first operation's work centre. */
  supplyWarehouse: string | null;
}

/**
 * Creates the work orders of several production requests at once: one per BOM level, operations
 * copied from the routings, planned by the forward pass in memory and written with one multi-row
 * insert per table (four round trips in all). An item without a routing still gets its work order
 * (with no operations; a `rule` alert asks for the routing, and `PUT /routings/:item` fills the
 * operations in later). With `skipDoneLines`, sales order lines that already have work orders are
 * skipped (a redelivered or replayed request).
 */
interface CentreRow {
  code: string;
  capacity: number;
  calendar: PassCentre['calendar'];
  labor: string;
  machine: string;
  plant: string;
  supplyWarehouse: string | null;
  busyUntil: string | null;
  setupMatrix: { from: string; to: string; minutes: number }[] | null;
  lastFamily: string | null;
}

export async function createWorkOrders(
  uow: UnitOfWork,
  all: ProductionRequest[],
  plan: PlanOptions = {},
  skipDoneLines = false,
): Promise<CreatedWorkOrder[]> {
  if (!all.length) return [];
  const salesOrders = skipDoneLines ? [...new Set(all.flatMap((r) => (r.salesOrder ? [r.salesOrder] : [])))] : [];
  const master = await loadMasterData(uow, [...new Set(all.map((r) => r.itemCode))], salesOrders);
  const { items, routings: routingOf, doneLines } = master;
  const requests = skipDoneLines
    ? all.filter((r) => {
        if (!r.salesOrder) return true;
        const key = `${r.salesOrder}/${r.lineNo}`;
        if (doneLines.has(key)) return false;
        doneLines.add(key); // the same line twice in one batch is made once
        return true;
      })
    : all;
  if (!requests.length) return [];
  const nodes: (PlannedWorkOrder & { request: number })[] = [];
  requests.forEach((r, i) => {
    if (!items.has(r.itemCode)) throw unprocessable(`item ${r.itemCode} is unknown to the MES`, { itemCode: r.itemCode });
    if (r.bomVersion != null && !namedBom(master, r.itemCode, r.bomVersion))
      throw unprocessable(`BOM version ${r.bomVersion} of ${r.itemCode} is unknown to the MES`, { itemCode: r.itemCode, version: r.bomVersion });
    if (!(r.qty > 0)) throw unprocessable(`quantity of ${r.itemCode} must be positive`, { qty: r.qty });
    const asOf = r.bomAsOf ?? null;
    const tree = explode(r.itemCode, r.qty, items, (code, level) =>
      level === 0 && r.bomVersion != null ? namedBom(master, code, r.bomVersion) : r.singleLevel && level > 0 ? undefined : bomAt(master, code, asOf),
    );
    const bare = r.requireRouting ? [...new Set(tree.filter((n) => !routingOf.has(n.itemCode)).map((n) => n.itemCode))] : [];
    if (bare.length) throw unprocessable(`no routing for ${bare.join(', ')}: a work order for stock needs one at every level`, { items: bare, reason: 'no_routing' });
    const base = nodes.length;
    for (const n of tree) nodes.push({ ...n, index: base + n.index, parentIndex: n.parentIndex < 0 ? -1 : base + n.parentIndex, request: i });
  });
  const codes = [...new Set(nodes.map((n) => n.itemCode))];
  const opCount = nodes.reduce((s, n) => s + (routingOf.get(n.itemCode)?.length ?? 0), 0);
  const centreCodes = [...new Set(nodes.flatMap((n) => (routingOf.get(n.itemCode) ?? []).map((r) => r.work_center)))];
  const [ids] = await uow.query<{ wo: string[]; op: string[]; centres: CentreRow[] }>(
    `select array(select 'WO-' || lpad(nextval('mes.work_order_seq')::text, 6, '0') from generate_series(1, $1::int)) as wo,
            array(select 'OP-' || lpad(nextval('mes.operation_seq')::text, 7, '0') from generate_series(1, $2::int)) as op,
            coalesce((select jsonb_agg(jsonb_build_object('code', wc.code, 'capacity', wc.capacity, 'calendar', wc.calendar,
                        'labor', wc.labor_cost_per_hour, 'machine', wc.cost_per_hour, 'plant', wc.plant, 'supplyWarehouse', wc.supply_warehouse,
                        'busyUntil', last.planned_end, 'setupMatrix', wc.setup_matrix, 'lastFamily', last.setup_family))
                        from mes.work_centers wc ${lastOnCentre()} where wc.code = any($3::text[])), '[]') as centres`,
    [nodes.length, opCount, centreCodes],
  );
  const woId = (n: { index: number }) => ids.wo[n.index];
  const rates = new Map<string, { labor: number; machine: number }>(ids.centres.map((c) => [c.code, { labor: num(c.labor), machine: num(c.machine) }]));
  const plantOfCentre = new Map(ids.centres.map((c) => [c.code, c.plant]));
  const supplyOfCentre = new Map(ids.centres.map((c) => [c.code, c.supplyWarehouse]));
  // A work order belongs to the plant of its work centres (a routing stays within one plant).
  const plantOf = (n: { itemCode: string; request: number }) => {
    const first = routingOf.get(n.itemCode)?.[0];
    return (first && plantOfCentre.get(first.work_center)) ?? requests[n.request].plant ?? 'main';
  };
  const asOfOf = (n: { request: number }) => requests[n.request].bomAsOf ?? master.latestSeq;
  let k = 0;
  const operationsOf: (PassOperation & { routing: RoutingStep })[][] = nodes.map((n) =>
    (routingOf.get(n.itemCode) ?? []).map((r) => ({
      id: ids.op[k++],
      workCenter: r.work_center,
      setupMinutes: num(r.setup_minutes),
      minutesPerUnit: num(r.minutes_per_unit),
      status: 'pending',
      doneQty: 0,
      startedAt: null,
      setupFamily: r.setup_family ?? null,
      routing: r,
    })),
  );
  const passInput: PassWorkOrder[] = nodes.map((n, i) => ({
    id: woId(n),
    qty: n.qty,
    level: n.level,
    parentWorkOrder: n.parentIndex < 0 ? (requests[n.request].under?.parentWorkOrder ?? null) : ids.wo[n.parentIndex],
    dueDate: requests[n.request].dueDate ?? null,
    priority: requests[n.request].priority ?? 0,
    operations: operationsOf[i],
  }));
  const pass = forwardPass(
    passInput,
    ids.centres.map(passCentre),
    { now: plan.now ?? new Date(), utcOffsetMinutes: plan.utcOffsetMinutes ?? 0 },
  );
  const opDates = new Map(pass.operations.map((o) => [o.id, o]));
  const iso = (d: Date | undefined) => (d ? d.toISOString() : null);
  await uow.query(
    `insert into mes.work_orders (id, item_code, qty, qty_per_parent, status, sales_order, line_no, external_ref, external_system, parent_work_order, top,
        level, bom_version, due_date, priority, uom, planned_start, planned_end, plant, routing_version, bom_as_of, pegged_to)
     select u.id, u.item, u.qty, u.per, 'released', u.so, u.line, u.ext, u.sys, u.parent, u.top, u.level, u.bom, u.due, u.prio, u.uom, u.ps, u.pe,
            u.plant, u.rv, u.asof, coalesce((select array_agg(x) from jsonb_array_elements_text(u.peg) x), '{}')
       from unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::text[], $6::int[], $7::text[], $8::text[], $9::boolean[],
                   $10::int[], $11::int[], $12::date[], $13::int[], $14::text[], $15::timestamptz[], $16::timestamptz[], $17::text[],
                   $18::text[], $19::int[], $20::bigint[], $21::jsonb[])
         as u(id, item, qty, per, so, line, ext, parent, top, level, bom, due, prio, uom, ps, pe, sys, plant, rv, asof, peg)`,
    [
      nodes.map(woId),
      nodes.map((n) => n.itemCode),
      nodes.map((n) => n.qty),
      nodes.map((n) => (n.parentIndex < 0 ? (requests[n.request].under?.qtyPerParent ?? n.qtyPerParent) : n.qtyPerParent)),
      nodes.map((n) => requests[n.request].salesOrder ?? null),
      nodes.map((n) => requests[n.request].lineNo ?? null),
      nodes.map((n) => (n.parentIndex < 0 ? (requests[n.request].externalRef ?? null) : null)),
      nodes.map((n) => (n.parentIndex < 0 ? (requests[n.request].under?.parentWorkOrder ?? null) : ids.wo[n.parentIndex])),
      nodes.map((n) => n.parentIndex < 0 && !requests[n.request].under),
      nodes.map((n) => n.level + (requests[n.request].under?.level ?? 0)),
      nodes.map((n) => n.bomVersion),
      nodes.map((n) => requests[n.request].dueDate ?? null),
      nodes.map((n) => requests[n.request].priority ?? 0),
      nodes.map((n) => n.uom),
      nodes.map((n) => iso(pass.workOrders.get(woId(n))?.start)),
      nodes.map((n) => iso(pass.workOrders.get(woId(n))?.end)),
      nodes.map((n) => requests[n.request].externalSystem ?? null),
      nodes.map(plantOf),
      nodes.map((n) => routingOf.get(n.itemCode)?.[0]?.version ?? null),
      nodes.map(asOfOf),
      nodes.map((n) => JSON.stringify(n.parentIndex < 0 ? (requests[n.request].peggedTo ?? []) : [])),
    ],
  );
  const ops = passInput.flatMap((w, i) => operationsOf[i].map((o) => ({ wo: w.id, ...o, r: o.routing })));
  if (ops.length)
    await uow.query(
      `insert into mes.operations (id, work_order_id, seq, name, work_center, setup_minutes, minutes_per_unit, inspection_required, status,
          planned_start, planned_end, alternatives, setup_family)
       select u.id, u.wo, u.seq, u.name, u.wc, u.setup, u.mpu, u.insp, 'pending', u.ps, u.pe,
              coalesce((select array_agg(x) from jsonb_array_elements_text(u.alt) x), '{}'), u.fam
         from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::boolean[], $9::timestamptz[], $10::timestamptz[],
                     $11::jsonb[], $12::text[])
           as u(id, wo, seq, name, wc, setup, mpu, insp, ps, pe, alt, fam)`,
      [
        ops.map((o) => o.id), ops.map((o) => o.wo), ops.map((o) => o.r.seq), ops.map((o) => o.r.name), ops.map((o) => o.workCenter),
        ops.map((o) => o.setupMinutes), ops.map((o) => o.minutesPerUnit), ops.map((o) => o.r.inspection_required),
        ops.map((o) => iso(opDates.get(o.id)?.start)), ops.map((o) => iso(opDates.get(o.id)?.end)), ops.map((o) => JSON.stringify(o.r.alternatives ?? [])),
        ops.map((o) => o.r.setup_family ?? null),
      ],
    );
  for (const code of codes.filter((c) => !routingOf.has(c)))
    await raiseAlert(uow, {
      kind: 'rule',
      severity: 'warning',
      ref: `routing/${code}`,
      role: 'supervisor',
      message: `item ${code} has no routing: its work orders have no operations until PUT /api/v1/mes/routings/${code}`,
      messageKey: 'alert.routing_missing',
      params: { item: code },
    });
  const created: CreatedWorkOrder[] = nodes.map((n, i) => {
    const steps = passInput[i].operations.map((o) => ({ setupMinutes: o.setupMinutes, minutesPerUnit: o.minutesPerUnit, laborRate: rates.get(o.workCenter)?.labor ?? 0, machineRate: rates.get(o.workCenter)?.machine ?? 0 }));
    const dates = pass.workOrders.get(woId(n));
    return {
      id: woId(n),
      itemCode: n.itemCode,
      qty: num(n.qty),
      parentWorkOrder: n.parentIndex < 0 ? (requests[n.request].under?.parentWorkOrder ?? null) : ids.wo[n.parentIndex],
      top: n.parentIndex < 0 && !requests[n.request].under,
      request: n.request,
      salesOrder: requests[n.request].salesOrder ?? null,
      lineNo: requests[n.request].lineNo ?? null,
      plannedStart: iso(dates?.start),
      plannedEnd: iso(dates?.end),
      plant: plantOf(n),
      standard: standardConversion(steps, n.qty),
      supplyWarehouse: supplyOfCentre.get(routingOf.get(n.itemCode)?.[0]?.work_center ?? '') ?? null,
    };
  });
  for (const { request, standard: _s, ...w } of created) {
    const { salesOrder, messageId } = requests[request];
    uow.audit({ action: 'create', entity: 'work_order', ref: w.id, after: w, correlationId: salesOrder ?? undefined, messageId: messageId ?? undefined });
  }
  // A plant run by an outside ERP takes work only from that system (refused otherwise, with the reason).
  await claimOutsideWork(uow, created, requests);
  return created;
}
