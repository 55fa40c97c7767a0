import { erpReconcileView } from '../../erp/index.ts';
import { mesReconcileView } from '../../mes/index.ts';
import { raiseAlert, systemActor, type Database, type Queryable } from '../../platform/index.ts';
import { compareViews, type Discrepancy } from './model.ts';

export async function reconcile(q: Queryable) {
  const [erp, mes, open] = await Promise.all([
    erpReconcileView(q),
    mesReconcileView(q),
    q.query<{ n: number }>(`select count(*)::int as n from platform.outbox where status in ('pending', 'failed')`),
  ]);
  return {
    at: new Date().toISOString(),
    discrepancies: compareViews(erp, mes),
    /** Messages not yet delivered: a discrepancy may only be one of them on its way. */
    messagesInFlight: open[0].n,
  };
}

const keyOf = (d: Discrepancy) => `${d.kind}:${d.ref}`;

/**
 * Reconciles on a schedule; a discrepancy found in two runs in a row is not a message in flight:
 * it raises a `reconciliation` alert.
 */
export class ReconciliationSchedule {
  private timer: NodeJS.Timeout | null = null;
  private previous = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly everyMs: number,
  ) {}

  start() {
    if (this.everyMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), this.everyMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async runOnce() {
    const { discrepancies } = await reconcile(this.db);
    const now = new Set(discrepancies.map(keyOf));
    const persisting = discrepancies.filter((d) => this.previous.has(keyOf(d)));
    this.previous = now;
    if (persisting.length) {
      await this.db.unitOfWork({ actor: systemActor, module: 'integration' }, async (uow) => {
        for (const d of persisting)
          await raiseAlert(uow, {
            kind: 'reconciliation',
            severity: 'warning',
            ref: keyOf(d),
            message: `ERP and MES disagree on ${d.kind} of ${d.ref}: ERP ${JSON.stringify(d.erp)}, MES ${JSON.stringify(d.mes)}`,
            messageKey: 'alert.reconciliation',
            params: { subject: d.kind, ref: d.ref, erp: JSON.stringify(d.erp), mes: JSON.stringify(d.mes) },
          });
      });
    }
    return persisting;
  }
}
