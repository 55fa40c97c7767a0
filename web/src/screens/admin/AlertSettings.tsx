import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { Field, formValues, SubmitError, useSubmit } from '../../lib/forms.tsx';
import { Card, Empty, ErrorBox } from '../../ui.tsx';
import { ROLE_NAMES } from './RolePicker.tsx';

const KINDS = ['reorder', 'shortage', 'quality_hold', 'equipment_down', 'late_order', 'integration_failure', 'reconciliation'];
const PERSON_ROLES = ROLE_NAMES.filter((r) => r !== 'device' && r !== 'integration');

interface Rule {
  id: number;
  name: string;
  kinds: string[];
  role: string;
}
interface Webhook {
  id: number;
  url: string;
  kinds: string[];
}

/** Who is told of each alert kind, rules over open alerts, webhooks that receive alerts. */
export function AlertSettings() {
  return (
    <div className="grid2">
      <Routing />
      <Rules />
      <Webhooks />
    </div>
  );
}

function KindChecks({ value, onChange, all }: { value: string[]; onChange: (v: string[]) => void; all?: boolean }) {
  const { t } = useTranslation();
  return (
    <fieldset>
      <legend>{t('alertsAdmin.kinds')}</legend>
      {[...(all ? ['*'] : []), ...KINDS].map((k) => (
        <label key={k} className="check">
          <input type="checkbox" checked={value.includes(k)} onChange={(e) => onChange(e.target.checked ? [...value, k] : value.filter((x) => x !== k))} />
          {k === '*' ? t('alertsAdmin.allKinds') : t(`alertKind.${k}`, { defaultValue: k })}
        </label>
      ))}
    </fieldset>
  );
}

function Routing() {
  const { t } = useTranslation();
  const routing = useQuery({ queryKey: ['alert-routing'], queryFn: () => api<Record<string, string>>('/api/v1/alerts/routing') });
  const submit = useSubmit();
  return (
    <Card title={t('alertsAdmin.routing')}>
      <ErrorBox error={routing.error} />
      {routing.data && (
        <form className="stack" aria-label={t('alertsAdmin.routing')} onSubmit={(e) => void submit.send('/api/v1/alerts/routing', { method: 'PUT', body: formValues(e) })}>
          {KINDS.filter((k) => k in routing.data).map((k) => (
            <label key={k} className="row-label">
              {t(`alertKind.${k}`, { defaultValue: k })}
              <select name={k} defaultValue={routing.data[k]}>
                {PERSON_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`, { defaultValue: r })}</option>)}
              </select>
            </label>
          ))}
          <button type="submit" disabled={submit.busy}>{t('common.save')}</button>
          <SubmitError error={submit.error} />
        </form>
      )}
    </Card>
  );
}

function Rules() {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: ['alert-rules'], queryFn: () => api<Rule[]>('/api/v1/alerts/rules') });
  const [kinds, setKinds] = useState<string[]>([]);
  const submit = useSubmit();
  const remove = useSubmit();
  return (
    <Card title={t('alertsAdmin.rules')}>
      <ErrorBox error={rules.error ?? remove.error} />
      {rules.data && !rules.data.length && <Empty />}
      <ul className="plain">
        {(rules.data ?? []).map((r) => (
          <li key={r.id}>
            <strong>{r.name}</strong> · {r.kinds.map((k) => t(`alertKind.${k}`, { defaultValue: k })).join(' + ')} → {t(`role.${r.role}`, { defaultValue: r.role })}{' '}
            <button type="button" className="link" onClick={() => void remove.send(`/api/v1/alerts/rules/${r.id}`, { method: 'DELETE' })}>{t('common.remove')}</button>
          </li>
        ))}
      </ul>
      <form className="stack" aria-label={t('alertsAdmin.newRule')} onSubmit={(e) => {
        const v = formValues(e);
        void submit.send('/api/v1/alerts/rules', { method: 'POST', body: { name: v.name, kinds, role: v.role, ...(v.message && { message: v.message }) } });
      }}>
        <Field label={t('alertsAdmin.ruleName')} name="name" error={submit.fields.name}><input name="name" required /></Field>
        <KindChecks value={kinds} onChange={setKinds} />
        <label>
          {t('alertsAdmin.role')}
          <select name="role">{PERSON_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`, { defaultValue: r })}</option>)}</select>
        </label>
        <Field label={t('alertsAdmin.message')} name="message" error={submit.fields.message}><input name="message" /></Field>
        <button type="submit" disabled={submit.busy || !kinds.length}>{t('alertsAdmin.newRule')}</button>
        <SubmitError error={submit.error} shown={['name', 'message']} />
      </form>
    </Card>
  );
}

function Webhooks() {
  const { t } = useTranslation();
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => api<Webhook[]>('/api/v1/webhooks') });
  const [kinds, setKinds] = useState<string[]>(['*']);
  const [secret, setSecret] = useState<string | null>(null);
  const submit = useSubmit<{ secret?: string }>((h) => setSecret(h.secret ?? null));
  const remove = useSubmit();
  return (
    <Card title={t('alertsAdmin.webhooks')}>
      <ErrorBox error={hooks.error ?? remove.error} />
      <ul className="plain">
        {(hooks.data ?? []).map((h) => (
          <li key={h.id}>
            <code>{h.url}</code> · {h.kinds.join(', ')}{' '}
            <button type="button" className="link" onClick={() => void remove.send(`/api/v1/webhooks/${h.id}`, { method: 'DELETE' })}>{t('common.remove')}</button>
          </li>
        ))}
      </ul>
      <form className="stack" aria-label={t('alertsAdmin.newWebhook')} onSubmit={(e) => void submit.send('/api/v1/webhooks', { method: 'POST', body: { url: formValues(e).url, kinds } })}>
        <Field label="URL" name="url" error={submit.fields.url}><input name="url" type="url" required /></Field>
        <KindChecks value={kinds} onChange={setKinds} all />
        <button type="submit" disabled={submit.busy || !kinds.length}>{t('alertsAdmin.newWebhook')}</button>
        <SubmitError error={submit.error} shown={['url']} />
      </form>
      {secret && <p className="once" role="status">{t('alertsAdmin.secretOnce')} <code>{secret}</code></p>}
    </Card>
  );
}
