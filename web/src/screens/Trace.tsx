import { useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api.ts';
import Chart from '../lib/chart.tsx';
import { fmtNumber } from '../lib/format.ts';
import { navigate, useRoute } from '../lib/router.ts';
import type { Session } from '../lib/session.ts';
import { Card, Empty, ErrorBox, Loading } from '../ui.tsx';

export interface TraceNode {
  lot: string;
  itemCode: string;
  qty: number;
  workOrder?: string | null;
  supplier?: string | null;
  salesOrders?: string[] | null;
  children: TraceNode[];
}
interface GraphNode {
  name: string;
  value?: string;
  lot?: string;
  kind: 'lot' | 'supplier' | 'customer';
  children?: GraphNode[];
  itemStyle?: { color: string };
}

/** A genealogy tree as echarts' tree data: lots, with their suppliers (backward) or their sales orders (forward) as leaves. */
export function toGraph(n: TraceNode, t: (k: string, o?: Record<string, unknown>) => string, direction: 'backward' | 'forward', depth = 0): GraphNode {
  const children: GraphNode[] = depth < 12 ? n.children.map((c) => toGraph(c, t, direction, depth + 1)) : [];
  if (n.supplier && direction === 'backward') children.push({ name: t('trace.supplier', { code: n.supplier }), kind: 'supplier', itemStyle: { color: '#8a5a00' } });
  if (direction === 'forward') for (const so of n.salesOrders ?? []) children.push({ name: t('trace.customerOrder', { id: so }), kind: 'customer', itemStyle: { color: '#1d6b3d' } });
  return { name: `${n.lot}\n${n.itemCode} · ${fmtNumber(n.qty, 3)}`, lot: n.lot, kind: 'lot', value: n.workOrder ?? undefined, children };
}

/** Lot genealogy as a picture: backward to the suppliers' lots, forward to the customers' orders. */
export default function Trace(_: { session: Session }) {
  const { t } = useTranslation();
  const route = useRoute();
  const lot = route.path[1] ?? '';
  const direction = route.params.get('direction') === 'forward' ? 'forward' : 'backward';
  const [input, setInput] = useState(lot);
  const tree = useQuery({
    queryKey: ['trace', lot, direction],
    queryFn: () => api<TraceNode>(`/api/v1/trace/lots/${encodeURIComponent(lot)}${qs({ direction })}`),
    enabled: !!lot,
  });
  const go = (l: string, d: string) => {
    window.location.hash = `#/trace/${encodeURIComponent(l)}?direction=${d}`;
  };
  const graph = useMemo(() => (tree.data ? toGraph(tree.data, t, direction) : null), [tree.data, t, direction]);
  const option = useMemo(
    () =>
      graph && {
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'tree',
            data: [graph],
            orient: direction === 'backward' ? 'RL' : 'LR',
            top: 20, bottom: 20, left: 180, right: 200,
            symbolSize: 12,
            initialTreeDepth: -1,
            label: { position: direction === 'backward' ? 'right' : 'left', fontSize: 11 },
            leaves: { label: { position: direction === 'backward' ? 'left' : 'right' } },
            expandAndCollapse: false,
          },
        ],
      },
    [graph, direction],
  );
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (input.trim()) go(input.trim(), direction);
  };
  return (
    <div>
      <div className="toolbar">
        <h1>{t('trace.title')}</h1>
        <form className="inline" onSubmit={submit}>
          <label>
            {t('common.lot')}
            <input name="lot" value={input} onChange={(e) => setInput(e.target.value)} required />
          </label>
          <button type="submit">{t('common.open')}</button>
        </form>
        {lot && (
          <div className="inline" role="group" aria-label={t('trace.direction')}>
            {(['backward', 'forward'] as const).map((d) => (
              <button key={d} type="button" className={d === direction ? 'primary' : ''} aria-pressed={d === direction} onClick={() => go(lot, d)} data-direction={d}>
                {t(`trace.${d}`)}
              </button>
            ))}
          </div>
        )}
      </div>
      <ErrorBox error={tree.error} />
      {!lot ? <Empty>{t('trace.hint')}</Empty> : tree.isPending ? <Loading /> : null}
      {option && graph && (
        <Card title={`${t('common.lot')} ${lot} · ${t(`trace.${direction}`)}`}>
          <Chart option={option} height={460} testId="genealogy" onClick={(p) => { const d = p.data as GraphNode | undefined; if (d?.lot && d.lot !== lot) navigate('trace', d.lot); }} />
          <details>
            <summary>{t('trace.asList')}</summary>
            <TreeList node={graph} />
          </details>
        </Card>
      )}
    </div>
  );
}

function TreeList({ node }: { node: GraphNode }) {
  return (
    <ul className="tree">
      <li data-trace-node={node.kind}>
        {node.name.replace('\n', ' · ')}
        {node.children?.map((c, i) => <TreeList key={i} node={c} />)}
      </li>
    </ul>
  );
}
