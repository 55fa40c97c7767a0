import { Fragment, useState } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { fmtDateTime, fmtNumber } from '../../lib/format.ts';
import type { Replan, Replans } from '../../lib/data.ts';
import { Badge, Card, Empty, ErrorBox, Loading, Missing } from '../../ui.tsx';

/** How many moved operations an expanded replan lists. */
const MOVES_SHOWN = 50;

/**
 * The reasons the server gives (English) that this app knows, each with the key of its text and
 * how to read its values; any other reason is shown as the server wrote it.
 */
const REASONS: { re: RegExp; key: string; params: (m: RegExpMatchArray) => Record<string, string> }[] = [
  { re: /^(\S+) down since (\S+)$/, key: 'down', params: (m) => ({ centre: m[1], since: fmtDateTime(m[2]) }) },
  { re: /^(\S+) back up$/, key: 'up', params: (m) => ({ centre: m[1] }) },
  { re: /^new order released$/, key: 'releasedAny', params: () => ({}) },
  { re: /^new order (\S+) released$/, key: 'released', params: (m) => ({ order: m[1] }) },
  { re: /^change accepted for an order$/, key: 'changeAny', params: () => ({}) },
  { re: /^change accepted for (\S+)$/, key: 'change', params: (m) => ({ order: m[1] }) },
  { re: /^(\S+) short by (\S+) scrapped$/, key: 'short', params: (m) => ({ workOrder: m[1], qty: fmtNumber(m[2], 3) }) },
  { re: /^daily reschedule at (\d\d:\d\d)$/, key: 'daily', params: (m) => ({ time: m[1] }) },
];

/** A replan's reason in the reader's language when it is one of the server's known texts, else as given. */
export function replanReason(t: TFunction, text: string): string {
  for (const r of REASONS) {
    const m = text.match(r.re);
    // `replace`: the values only fill the text in, never options of t
    if (m) return t(`planner.replans.reason.${r.key}`, { replace: r.params(m) });
  }
  return text;
}

/** The newest replan that moved something: what the board outlines (a failed one left the plan as it was). */
export const latestMoves = (data: Replans | undefined): Replan | undefined => data?.replans.find((r) => r.status === 'done' && r.moved.length > 0);

/** The planner board's card of automatic replans: on or off, and each recent one with why, what moved and what is late. */
export function ReplansCard({ query, has }: { query: UseQueryResult<Replans>; has: boolean | undefined }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const data = query.data;
  return (
    <Card
      title={t('planner.replans.title')}
      actions={data && <Badge kind={data.enabled ? 'ok' : 'pending'}>{t(data.enabled ? 'planner.replans.on' : 'planner.replans.off')}</Badge>}
    >
      <div data-testid="replans" data-enabled={data ? String(data.enabled) : undefined}>
        {has === false ? (
          <Missing route="GET /api/v1/planning/replans" />
        ) : (
          <>
            <ErrorBox error={query.error} />
            {query.isPending ? (
              <Loading />
            ) : !data?.replans.length ? (
              <Empty>{t('planner.replans.none')}</Empty>
            ) : (
              <table className="table replans">
                <thead>
                  <tr>
                    <th>{t('planner.replans.at')}</th>
                    <th>{t('planner.replans.reasons')}</th>
                    <th>{t('planner.replans.status')}</th>
                    <th>{t('planner.replans.moved')}</th>
                    <th>{t('planner.replans.late')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.replans.map((r) => (
                    <ReplanRow key={r.at} replan={r} open={open === r.at} onToggle={() => setOpen(open === r.at ? null : r.at)} />
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>
    </Card>
  );
}

function ReplanRow({ replan: r, open, onToggle }: { replan: Replan; open: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  return (
    <Fragment>
      <tr data-replan={r.at} className={r.status === 'failed' ? 'delivery-late' : undefined}>
        <td>{fmtDateTime(r.at)}</td>
        <td>
          <ul className="replan-reasons">
            {r.reasons.map((x, i) => (
              <li key={i} title={x} data-reason={x}>
                {replanReason(t, x)}
              </li>
            ))}
          </ul>
        </td>
        <td>
          <Badge kind={r.status}>{t(`status.${r.status}`, { defaultValue: r.status })}</Badge>
          {r.error && <div className="error-text">{t('planner.replans.failed', { replace: { error: r.error } })}</div>}
        </td>
        <td data-moved={r.moved.length}>{t('planner.replans.movedCount', { count: r.moved.length })}</td>
        <td data-late={r.lateWorkOrders.length} title={r.lateWorkOrders.join(', ')}>
          {t('planner.replans.lateCount', { count: r.lateWorkOrders.length })}
        </td>
        <td>
          {r.moved.length > 0 && (
            <button type="button" className="link" data-action="toggle-moves" aria-expanded={open} onClick={onToggle}>
              {t(open ? 'planner.replans.hide' : 'planner.replans.show')}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="replan-moves">
          <td colSpan={6}>
            <table className="table">
              <thead>
                <tr>
                  <th>{t('planner.replans.operation')}</th>
                  <th>{t('planner.replans.fromTo')}</th>
                </tr>
              </thead>
              <tbody>
                {r.moved.slice(0, MOVES_SHOWN).map((m) => (
                  <tr key={m.id} data-op={m.id}>
                    <td>
                      <code>{m.id}</code>
                    </td>
                    <td>
                      {fmtDateTime(m.from)} → {fmtDateTime(m.to)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {r.moved.length > MOVES_SHOWN && <p className="muted">{t('planner.replans.more', { count: r.moved.length - MOVES_SHOWN })}</p>}
          </td>
        </tr>
      )}
    </Fragment>
  );
}
