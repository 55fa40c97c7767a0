import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { useHas } from '../../lib/capabilities.ts';
import { Field, formValues, SubmitError, useSubmit } from '../../lib/forms.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Card, Empty, ErrorBox, Missing } from '../../ui.tsx';
import { RolePicker, splitList } from './RolePicker.tsx';

interface ApiKey {
  id: string;
  name: string;
  roles: string[];
  scope?: { plants?: string[]; workCenters?: string[] };
  createdAt?: string;
  revokedAt?: string | null;
}

/** Machine accounts (devices, connectors): create one (its key is shown once), list them, revoke. */
export function ApiKeys() {
  const { t } = useTranslation();
  const has = useHas('get', '/api/v1/api-keys');
  const list = useQuery({ queryKey: ['api-keys'], queryFn: () => api<ApiKey[]>('/api/v1/api-keys'), enabled: has === true });
  const [roles, setRoles] = useState<string[]>([]);
  const [fresh, setFresh] = useState<{ id: string; key: string; name: string } | null>(null);
  const create = useSubmit<{ id: string; key: string; name: string }>((k) => setFresh(k));
  const revoke = useSubmit();
  return (
    <div className="stack">
      <Card title={t('keys.new')}>
        <form className="form-row" aria-label={t('keys.new')} data-testid="new-key-form" onSubmit={(e) => {
          const v = formValues(e);
          const plants = splitList(v.plants);
          const workCenters = splitList(v.workCenters);
          setFresh(null);
          void create.send('/api/v1/api-keys', { method: 'POST', body: { name: v.name, ...(roles.length && { roles }), ...((plants.length || workCenters.length) && { scope: { plants, workCenters } }) } });
        }}>
          <Field label={t('keys.name')} name="name" error={create.fields.name}><input name="name" required /></Field>
          <RolePicker value={roles} onChange={setRoles} only={['device', 'integration']} />
          <Field label={t('admin.plants')} name="plants" error={create.fields['scope.plants']}><input name="plants" /></Field>
          <Field label={t('admin.workCenters')} name="workCenters" error={create.fields['scope.workCenters']}><input name="workCenters" /></Field>
          <button type="submit" className="primary" disabled={create.busy}>{t('keys.create')}</button>
          <SubmitError error={create.error} shown={['name', 'scope.plants', 'scope.workCenters']} />
        </form>
        {fresh && (
          <div className="once" role="status" data-testid="new-key">
            <p><strong>{t('keys.shownOnce')}</strong></p>
            <code data-key={fresh.id}>{fresh.key}</code>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(fresh.key)}>{t('keys.copy')}</button>
            <button type="button" onClick={() => setFresh(null)} data-action="hide-key">{t('keys.copied')}</button>
          </div>
        )}
      </Card>
      <Card title={t('keys.title')}>
        {has === false ? <Missing route="GET /api/v1/api-keys" /> : <ErrorBox error={list.error ?? revoke.error} />}
        {has && list.data && !list.data.length && <Empty />}
        {!!list.data?.length && (
          <table className="table" data-testid="api-keys">
            <thead>
              <tr><th>{t('keys.name')}</th><th>{t('admin.roles')}</th><th>{t('admin.scope')}</th><th>{t('keys.created')}</th><th>{t('common.status')}</th><th /></tr>
            </thead>
            <tbody>
              {list.data.map((k) => (
                <tr key={k.id} data-api-key={k.name}>
                  <td>{k.name}</td>
                  <td>{k.roles.map((r) => t(`role.${r}`, { defaultValue: r })).join(', ')}</td>
                  <td>{[...(k.scope?.plants ?? []), ...(k.scope?.workCenters ?? [])].join(', ') || '—'}</td>
                  <td>{fmtDateTime(k.createdAt)}</td>
                  <td>{k.revokedAt ? t('keys.revoked') : t('keys.active')}</td>
                  <td>
                    {!k.revokedAt && (
                      <button type="button" className="danger" disabled={revoke.busy} data-action="revoke" onClick={() => window.confirm(t('keys.confirmRevoke', { name: k.name })) && void revoke.send(`/api/v1/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' })}>
                        {t('keys.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
