import { useTranslation } from 'react-i18next';
import type { WorkOrder } from '../../lib/data.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { Card } from '../../ui.tsx';

/** The order's work orders, their operations on a small Gantt: one row per operation, a bar from planned start to end. */
export function WorkOrderGantt({ workOrders }: { workOrders: WorkOrder[] }) {
  const { t } = useTranslation();
  const ops = workOrders.flatMap((w) => w.operations.filter((o) => o.plannedStart && o.plannedEnd).map((o) => ({ wo: w.id, ...o })));
  if (!ops.length) return null;
  const start = Math.min(...ops.map((o) => new Date(o.plannedStart!).getTime()));
  const end = Math.max(...ops.map((o) => new Date(o.plannedEnd!).getTime()));
  const span = Math.max(1, end - start);
  return (
    <Card title={t('gantt.title')}>
      <div className="mini-gantt" data-testid="wo-gantt" role="list">
        <div className="mg-axis muted small">
          <span>{fmtDateTime(new Date(start).toISOString())}</span>
          <span>{fmtDateTime(new Date(end).toISOString())}</span>
        </div>
        {ops.map((o) => {
          const a = new Date(o.plannedStart!).getTime();
          const b = new Date(o.plannedEnd!).getTime();
          const label = `${o.wo} · ${o.seq} ${o.name} @ ${o.workCenter}`;
          return (
            <div className="mg-row" key={o.id} role="listitem" aria-label={`${label}: ${fmtDateTime(o.plannedStart)} → ${fmtDateTime(o.plannedEnd)}`}>
              <span className="mg-label">{label}</span>
              <span className="mg-track">
                <span className={`mg-bar op-${o.status}`} style={{ left: `${((a - start) / span) * 100}%`, width: `${Math.max(1, ((b - a) / span) * 100)}%` }} title={t(`status.${o.status}`)} />
              </span>
            </div>
          );
        })}
      </div>
    </Card>
  );
}
