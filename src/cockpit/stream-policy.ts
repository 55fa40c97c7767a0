import { can, inScope, isUnscoped, type Actor, type LiveEvent, type Permission, type Queryable } from '../platform/index.ts';

/** Where an event happens: its plant and the work centres it concerns (any of them in scope will do). */
export interface Place {
  plant: string | null;
  workCenters: string[];
}

/**
 * Who may read each kind of event on the live stream, and what it concerns:
 * - `global` events (master data, lots, sales orders and their schedule answers, integration) need
 *   their permission only: they belong to no plant or work centre;
 * - `located` events (shop-floor progress, material, produced lots, equipment) also need the place
 *   they concern inside the reader's data scope;
 * - alerts go to their role (managers and admins: all) inside the reader's scope.
 * Unknown types are for unscoped readers of the message trace only.
 */
const RULES: Record<string, { permission: Permission; located: boolean }> = {
  SyncMaterialDefinition: { permission: 'erp.master.read', located: false },
  SyncBillOfMaterial: { permission: 'erp.master.read', located: false },
  SyncMaterialLot: { permission: 'erp.inventory.read', located: false },
  ProcessOperationsSchedule: { permission: 'erp.sales.read', located: false },
  ChangeOperationsSchedule: { permission: 'erp.sales.read', located: false },
  CancelOperationsSchedule: { permission: 'erp.sales.read', located: false },
  AcknowledgeOperationsSchedule: { permission: 'erp.sales.read', located: false },
  SyncOperationsSchedule: { permission: 'erp.sales.read', located: false },
  RespondOperationsSchedule: { permission: 'erp.sales.read', located: false },
  ProcessOperationsPerformance: { permission: 'mes.workorders.read', located: true },
  ProcessMaterialActual: { permission: 'mes.workorders.read', located: true },
  ProcessProducedLot: { permission: 'mes.workorders.read', located: true },
  'mes.equipment.state-changed': { permission: 'mes.workorders.read', located: true },
  'platform.alert.raised': { permission: 'alerts.read', located: true },
  'integration.dead-letter.replayed': { permission: 'integration.read', located: false },
  'platform.api-key.revoked': { permission: 'users.manage', located: false },
};
const UNKNOWN = { permission: 'integration.read' as Permission, located: true };

type Payload = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The stream's filter: one per app; places are looked up once per event, whoever reads it. */
export class StreamPolicy {
  private readonly places = new Map<string, Promise<Place>>();
  constructor(private readonly q: Queryable) {}

  /** The event as this reader may see it, or null. */
  async view(e: LiveEvent, reader: Actor): Promise<LiveEvent | null> {
    const rule = RULES[e.type] ?? UNKNOWN;
    if (!can(reader.roles, rule.permission)) return null;
    const p = (e.payload ?? {}) as Payload;
    if (e.type === 'platform.alert.raised') {
      const seesAll = reader.roles.includes('manager') || reader.roles.includes('admin');
      if (!seesAll && !reader.roles.includes(String(p.role))) return null;
    }
    if (rule.located && !isUnscoped(reader)) {
      if (!RULES[e.type]) return null;
      const place = await this.placeOf(e);
      const any = place.workCenters.length ? place.workCenters : [null];
      if (!any.some((workCenter) => inScope(reader, { plant: place.plant, workCenter }))) return null;
    }
    return redact(e, reader);
  }

  private placeOf(e: LiveEvent): Promise<Place> {
    let found = this.places.get(e.id);
    if (!found) {
      found = this.locate(e.type, (e.payload ?? {}) as Payload).catch((): Place => ({ plant: null, workCenters: [] }));
      this.places.set(e.id, found);
      if (this.places.size > 2000) this.places.delete(this.places.keys().next().value!);
    }
    return found;
  }

  private async locate(type: string, p: Payload): Promise<Place> {
    if (type === 'mes.equipment.state-changed') return { plant: str(p.plant), workCenters: str(p.workCenter) ? [str(p.workCenter)!] : [] };
    if (type === 'platform.alert.raised') {
      // an alert names a work centre (equipment) or a work order by its ref; anything else has no place
      const ref = str(p.ref);
      const [wc] = ref ? await this.q.query<{ plant: string }>('select plant from mes.work_centers where code = $1', [ref]) : [];
      if (wc) return { plant: wc.plant, workCenters: [ref!] };
      return ref ? this.workOrderPlace(ref, null) : { plant: str(p.plant), workCenters: [] };
    }
    const wo = str(p.workOrderId);
    return wo ? this.workOrderPlace(wo, str(p.operationId)) : { plant: null, workCenters: [] };
  }

  /** A work order's plant and the work centres of its operations (of one operation, when named). */
  private async workOrderPlace(workOrder: string, operation: string | null): Promise<Place> {
    const rows = await this.q.query<{ plant: string; work_center: string | null }>(
      `select w.plant, o.work_center from mes.work_orders w
         left join mes.operations o on o.work_order_id = w.id and ($2::text is null or o.id = $2)
        where w.id = $1`,
      [workOrder, operation],
    );
    if (!rows.length) return { plant: null, workCenters: [] };
    return { plant: rows[0].plant, workCenters: rows.map((r) => r.work_center).filter((w): w is string => w !== null) };
  }
}

/** Sales-order references and money leave an event for readers without those permissions. */
function redact(e: LiveEvent, reader: Actor): LiveEvent {
  const p = e.payload as Payload | null;
  if (!p || typeof p !== 'object') return e;
  const sales = can(reader.roles, 'erp.sales.read');
  const cost = can(reader.roles, 'erp.cost.read');
  if (sales && cost) return e;
  const out: Payload = { ...p };
  if (!sales && 'salesOrderId' in out) {
    out.salesOrderId = null;
    if ('lineNo' in out) out.lineNo = null;
  }
  if (!cost && out.booked && typeof out.booked === 'object') {
    const { laborCost: _l, machineCost: _m, energyCost: _e, ...time } = out.booked as Payload;
    out.booked = time;
  }
  if (!cost && 'standardCost' in out) delete out.standardCost;
  return { ...e, correlationId: sales ? e.correlationId : null, payload: out };
}
