import { messageOf } from '../platform/kernel/index.ts';
import { newOrder, type Call } from './demo-factory.ts';

/** What the supervisor reads of the API's answers (quantities may come as decimal strings). */
interface ApiOperation {
  id: string;
  seq: number;
  status: string;
  workCenter: string;
  goodQty: number | string;
  scrapQty: number | string;
}
interface ApiWorkOrder {
  id: string;
  itemCode: string;
  qty: number | string;
  parentWorkOrder?: string | null;
  plannedStart?: string | null;
  dueDate?: string | null;
  operations: ApiOperation[];
  outputLots?: { lot: string }[];
}
interface ApiBom {
  components?: { itemCode: string; qty: number | string }[];
}
interface ApiStock {
  lots?: { lot: string; status: string; qty: number | string }[];
}
interface ApiSalesOrder {
  id: string;
  status: string;
}

/**
 * The shift supervisor and quality inspector of the demo: every few seconds, starts the next
 * operation on each free work centre (issuing lots first), completes operations the machines have
 * finished, inspects finished lots (about one in eight fails and is held for a while), ships what
 * is done and takes a new order now and then.
 */
export class DemoSupervisor {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private ticks = 0;
  private orders = 12;
  private readonly inspected = new Set<string>();
  private readonly held = new Map<string, number>();
  private readonly issued = new Set<string>();
  constructor(
    private readonly call: Call,
    private readonly log: (s: string) => void,
    private readonly random: () => number = Math.random,
  ) {}

  start(everyMs = 3_000) {
    this.timer = setInterval(() => void this.tick(), everyMs);
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
  }

  async tick() {
    if (this.busy) return;
    this.busy = true;
    try {
      this.ticks++;
      const open = [
        ...(await this.call<ApiWorkOrder[]>('GET', '/api/v1/mes/work-orders?status=in_progress')),
        ...(await this.call<ApiWorkOrder[]>('GET', '/api/v1/mes/work-orders?status=released')),
      ];
      await this.completeFinished(open);
      await this.startNext(open);
      await this.inspect();
      if (this.ticks % 40 === 0) await newOrder(this.call, this.orders++).catch((e) => this.log(`demo: new order: ${e.message}`));
      if (this.ticks % 15 === 0) await this.ship();
    } catch (e: unknown) {
      this.log(`demo: ${messageOf(e)}`);
    } finally {
      this.busy = false;
    }
  }

  private async completeFinished(open: ApiWorkOrder[]) {
    for (const wo of open) {
      const ops = [...wo.operations].sort((a, b) => a.seq - b.seq);
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i];
        if (op.status !== 'running') continue;
        const target = i === 0 ? Number(wo.qty) : Number(ops[i - 1].goodQty);
        const done = i === 0 ? Number(op.goodQty) >= target : Number(op.goodQty) + Number(op.scrapQty) >= target && ops[i - 1].status === 'done';
        if (done) await this.call('POST', `/api/v1/mes/operations/${op.id}/report`, { goodQty: 0, complete: true }).catch((e) => this.log(`demo: complete ${op.id}: ${e.message}`));
      }
    }
  }

  private async startNext(open: ApiWorkOrder[]) {
    const busy = new Set(open.flatMap((wo) => wo.operations.filter((o) => o.status === 'running').map((o) => o.workCenter)));
    const childrenOpen = new Set(open.filter((wo) => wo.parentWorkOrder).map((wo) => wo.parentWorkOrder));
    const ready = open
      .filter((wo) => !childrenOpen.has(wo.id))
      .sort((a, b) => String(a.plannedStart ?? a.dueDate ?? '').localeCompare(String(b.plannedStart ?? b.dueDate ?? '')));
    for (const wo of ready) {
      const ops = [...wo.operations].sort((a, b) => a.seq - b.seq);
      const next = ops.find((o) => o.status === 'pending');
      if (!next || busy.has(next.workCenter)) continue;
      const i = ops.indexOf(next);
      if (i > 0 && ops[i - 1].status !== 'done' && ops[i - 1].status !== 'running') continue;
      if (i > 0 && Number(ops[i - 1].goodQty) === 0) continue;
      if (i === 0 && !(await this.issue(wo))) continue;
      try {
        await this.call('POST', `/api/v1/mes/operations/${next.id}/start`, { operator: ['li.wei', 'anna.k', 'zhang.min', 'tom.b'][this.ticks % 4] });
        busy.add(next.workCenter);
      } catch (e: unknown) {
        this.log(`demo: start ${next.id}: ${messageOf(e)}`);
      }
    }
  }

  /** Issues the work order's material, oldest lots first; false if something is short. */
  private async issue(wo: ApiWorkOrder): Promise<boolean> {
    if (this.issued.has(wo.id)) return true;
    const bom = await this.call<ApiBom>('GET', `/api/v1/erp/boms/${wo.itemCode}`).catch(() => null);
    for (const c of bom?.components ?? []) {
      let need = Number(c.qty) * Number(wo.qty);
      const stock = await this.call<ApiStock>('GET', `/api/v1/erp/inventory/${c.itemCode}`);
      for (const l of (stock.lots ?? []).filter((x) => x.status === 'available' && Number(x.qty) > 0)) {
        if (need <= 0) break;
        const qty = Math.min(need, Number(l.qty));
        try {
          await this.call('POST', `/api/v1/mes/work-orders/${wo.id}/consume`, { itemCode: c.itemCode, lot: l.lot, qty });
          need -= qty;
        } catch (e: unknown) {
          this.log(`demo: consume ${c.itemCode} ${l.lot} for ${wo.id}: ${messageOf(e)}`);
        }
      }
      if (need > 0) return false;
    }
    this.issued.add(wo.id);
    return true;
  }

  private async inspect() {
    const done = await this.call<ApiWorkOrder[]>('GET', '/api/v1/mes/work-orders?status=completed');
    for (const wo of done) {
      for (const out of wo.outputLots ?? []) {
        if (this.inspected.has(out.lot)) continue;
        this.inspected.add(out.lot);
        const fail = this.random() < 0.12;
        await this.call('POST', '/api/v1/mes/inspections', {
          workOrder: wo.id,
          lot: out.lot,
          result: fail ? 'fail' : 'pass',
          ...(fail ? { defects: [{ code: this.random() < 0.5 ? 'SPOKE_TENSION' : 'LATERAL_RUNOUT', qty: 1 + Math.floor(this.random() * 3) }], note: 'found at final inspection' } : {}),
        }).catch((e) => this.log(`demo: inspect ${out.lot}: ${e.message}`));
        if (fail) this.held.set(out.lot, this.ticks);
      }
    }
    for (const [lot, since] of this.held) {
      if (this.ticks - since < 20) continue;
      this.held.delete(lot);
      await this.call('POST', `/api/v1/mes/lots/${encodeURIComponent(lot)}/disposition`, { decision: this.random() < 0.8 ? 'release' : 'reject' }).catch(() => undefined);
    }
  }

  private async ship() {
    const orders = await this.call<unknown>('GET', '/api/v1/erp/sales-orders').catch(() => []);
    for (const so of Array.isArray(orders) ? (orders as ApiSalesOrder[]) : []) {
      if (so.status === 'completed') await this.call('POST', `/api/v1/erp/sales-orders/${so.id}/ship`, {}).catch(() => undefined);
    }
  }
}
