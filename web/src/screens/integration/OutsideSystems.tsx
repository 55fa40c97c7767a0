import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiOr, ApiError } from '../../lib/api.ts';
import { Card, Empty, ErrorBox, Loading } from '../../ui.tsx';

interface OutsideSystem {
  code: string;
  name: string;
  role: 'erp' | 'mes';
  webhook: { url: string } | null;
  plants?: string[];
}
interface FeedStatus {
  system: string;
  lastCursor: number;
  delivered: number;
  pending: number;
  failing: number;
  dead: number;
  lagSeconds: number;
}
interface CodeMap {
  external: string;
  internal: string;
  factor?: number | null;
}
interface Mapping {
  name: string;
  message: string;
}
interface DryRun {
  output: unknown;
  unmapped: { kind: string; external: string }[];
  errors: unknown[];
}

const KINDS = ['item', 'uom', 'workCenter', 'customer', 'supplier', 'plant'] as const;
const base = (code: string) => `/api/v1/integration/systems/${encodeURIComponent(code)}`;

/** Outside ERPs and MESs: their feed's lag, their code maps and mappings, and a mapping's dry run. */
export default function OutsideSystems() {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<string | null>(null);
  const systems = useQuery({ queryKey: ['outside-systems'], queryFn: () => apiOr<OutsideSystem[]>('/api/v1/integration/systems', []), refetchInterval: 30_000 });
  const feed = useQuery({ queryKey: ['outside-feed-status'], queryFn: () => apiOr<FeedStatus[]>('/api/v1/integration/feed/status', []), refetchInterval: 5_000 });
  const statusOf = new Map((feed.data ?? []).map((s) => [s.system, s]));
  return (
    <Card title={t('integration.outside.title')}>
      <ErrorBox error={systems.error ?? feed.error} />
      {systems.isPending ? (
        <Loading />
      ) : !systems.data?.length ? (
        <Empty>{t('integration.outside.none')}</Empty>
      ) : (
        <table className="table" data-testid="outside-systems">
          <thead>
            <tr>
              <th>{t('integration.outside.code')}</th>
              <th>{t('integration.outside.name')}</th>
              <th>{t('integration.outside.role')}</th>
              <th>{t('integration.outside.plants')}</th>
              <th>{t('integration.outside.webhook')}</th>
              <th>{t('integration.outside.cursor')}</th>
              <th>{t('integration.outside.pending')}</th>
              <th>{t('integration.outside.dead')}</th>
              <th>{t('integration.outside.lag')}</th>
            </tr>
          </thead>
          <tbody>
            {systems.data.map((s) => {
              const f = statusOf.get(s.code);
              return (
                <tr key={s.code} className={selected === s.code ? 'selected' : undefined} onClick={() => setSelected(s.code)} style={{ cursor: 'pointer' }}>
                  <td>{s.code}</td>
                  <td>{s.name}</td>
                  <td>{s.role.toUpperCase()}</td>
                  <td>{s.plants?.join(', ') || '—'}</td>
                  <td className="small">{s.webhook?.url ?? '—'}</td>
                  <td>{f?.lastCursor ?? 0}</td>
                  <td>{f ? `${f.pending}${f.failing ? ` (${t('integration.outside.failing', { n: f.failing })})` : ''}` : '—'}</td>
                  <td className={f?.dead ? 'bad-text' : undefined}>{f?.dead ?? 0}</td>
                  <td data-lag={s.code}>{f ? t('integration.outside.seconds', { s: f.lagSeconds.toFixed(1) }) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {selected && <SystemDetail code={selected} />}
    </Card>
  );
}

function SystemDetail({ code }: { code: string }) {
  const { t } = useTranslation();
  const maps = useQuery({
    queryKey: ['code-maps', code],
    queryFn: async () => Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await apiOr<CodeMap[] | null>(`${base(code)}/code-maps/${k}`, null)] as const))),
  });
  const mappings = useQuery({ queryKey: ['mappings', code], queryFn: () => apiOr<Mapping[] | null>(`${base(code)}/mappings`, null) });
  const available = maps.data && Object.values(maps.data).some((m) => m !== null);
  return (
    <div className="grid2">
      <div>
        <h3>{t('integration.outside.codeMaps', { code })}</h3>
        <ErrorBox error={maps.error} />
        {maps.isPending ? (
          <Loading />
        ) : !available ? (
          <Empty>{t('integration.outside.notOnServer')}</Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('integration.kind')}</th>
                <th>{t('integration.outside.external')}</th>
                <th>{t('integration.outside.internal')}</th>
                <th>{t('integration.outside.factor')}</th>
              </tr>
            </thead>
            <tbody>
              {KINDS.flatMap((k) =>
                (maps.data?.[k] ?? []).map((m) => (
                  <tr key={`${k}/${m.external}`}>
                    <td>{k}</td>
                    <td>{m.external}</td>
                    <td>{m.internal}</td>
                    <td>{m.factor ?? ''}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </div>
      <div>
        <h3>{t('integration.outside.mappings')}</h3>
        <ErrorBox error={mappings.error} />
        {mappings.isPending ? (
          <Loading />
        ) : mappings.data === null ? (
          <Empty>{t('integration.outside.notOnServer')}</Empty>
        ) : !mappings.data?.length ? (
          <Empty />
        ) : (
          <ul>
            {mappings.data.map((m) => (
              <li key={m.name}>
                <code>{m.name}</code> — {m.message}
              </li>
            ))}
          </ul>
        )}
        <DryRunForm code={code} names={(mappings.data ?? []).map((m) => m.name)} />
      </div>
    </div>
  );
}

function DryRunForm({ code, names }: { code: string; names: string[] }) {
  const { t } = useTranslation();
  const [parseError, setParseError] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: ({ name, sample }: { name: string; sample: unknown }) =>
      api<DryRun>(`${base(code)}/mappings/${encodeURIComponent(name)}/test`, { method: 'POST', body: { sample } }),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setParseError(null);
    try {
      run.mutate({ name: String(form.get('mapping') ?? ''), sample: JSON.parse(String(form.get('sample') ?? '')) });
    } catch (err) {
      setParseError(String((err as Error).message));
    }
  };
  const notThere = run.error instanceof ApiError && run.error.status === 404;
  return (
    <form onSubmit={submit} className="stack" data-testid="dry-run">
      <h3>{t('integration.outside.dryRun')}</h3>
      <input name="mapping" list={`mappings-${code}`} placeholder={t('integration.outside.mappingName')} required />
      <datalist id={`mappings-${code}`}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <textarea name="sample" rows={8} placeholder={t('integration.outside.samplePlaceholder')} required />
      <button type="submit" disabled={run.isPending}>
        {run.isPending ? t('common.working') : t('integration.outside.runDry')}
      </button>
      {parseError && <div className="error">{t('integration.outside.badJson', { message: parseError })}</div>}
      {notThere ? <Empty>{t('integration.outside.notOnServer')}</Empty> : <ErrorBox error={run.error} />}
      {run.data && (
        <div>
          <h4>{t('integration.outside.output')}</h4>
          <pre className="small">{JSON.stringify(run.data.output, null, 2)}</pre>
          <h4>{t('integration.outside.unmapped')}</h4>
          {run.data.unmapped.length ? (
            <ul>
              {run.data.unmapped.map((u) => (
                <li key={`${u.kind}/${u.external}`}>
                  {u.kind}: <code>{u.external}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p className="ok-text">{t('integration.outside.allMapped')}</p>
          )}
          {run.data.errors.length > 0 && <pre className="small error">{JSON.stringify(run.data.errors, null, 2)}</pre>}
        </div>
      )}
    </form>
  );
}
