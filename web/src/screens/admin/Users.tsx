import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../lib/api.ts';
import { useHas } from '../../lib/capabilities.ts';
import { Field, formValues, SubmitError, useSubmit } from '../../lib/forms.tsx';
import { Card, ErrorBox, Missing, Status } from '../../ui.tsx';
import { RolePicker, splitList } from './RolePicker.tsx';

interface User {
  username: string;
  roles: string[];
  scope?: { plants?: string[]; workCenters?: string[] };
  disabled?: boolean;
}

export function Users() {
  const { t } = useTranslation();
  const has = useHas('get', '/api/v1/users');
  const list = useQuery({ queryKey: ['users'], queryFn: () => api<User[]>('/api/v1/users?limit=200'), retry: false, enabled: has === true });
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div className="stack">
      <NewUser />
      <Card title={t('admin.users')}>
        {has === false || (list.error instanceof ApiError && list.error.status === 404) ? <Missing route="GET /api/v1/users" /> : <ErrorBox error={list.error} />}
        {!!list.data?.length && (
          <table className="table" data-testid="users">
            <thead>
              <tr><th>{t('signIn.username')}</th><th>{t('admin.roles')}</th><th>{t('admin.scope')}</th><th>{t('common.status')}</th><th /></tr>
            </thead>
            <tbody>
              {list.data.map((u) => (
                <tr key={u.username} data-user={u.username}>
                  <td>{u.username}</td>
                  <td>{u.roles.map((r) => t(`role.${r}`, { defaultValue: r })).join(', ')}</td>
                  <td>{[...(u.scope?.plants ?? []), ...(u.scope?.workCenters ?? [])].join(', ') || '—'}</td>
                  <td><Status value={u.disabled ? 'disabled' : 'active'} /></td>
                  <td><button type="button" onClick={() => setEditing(u.username)}>{t('admin.edit')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <EditUser key={editing ?? ''} user={list.data?.find((u) => u.username === editing)} username={editing ?? ''} />
    </div>
  );
}

function NewUser() {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<string[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const submit = useSubmit<{ username: string }>((u) => setCreated(u.username));
  return (
    <Card title={t('admin.newUser')}>
      <form className="form-row" aria-label={t('admin.newUser')} data-testid="new-user" onSubmit={(e) => {
        const v = formValues(e);
        const plants = splitList(v.plants);
        const workCenters = splitList(v.workCenters);
        setCreated(null);
        void submit.send('/api/v1/users', { method: 'POST', body: { username: v.username, password: v.password, roles, ...((plants.length || workCenters.length) && { scope: { plants, workCenters } }) } });
      }}>
        <Field label={t('signIn.username')} name="username" error={submit.fields.username}><input name="username" required autoComplete="off" /></Field>
        <Field label={t('signIn.password')} name="password" error={submit.fields.password}><input name="password" type="password" required minLength={8} autoComplete="new-password" /></Field>
        <RolePicker value={roles} onChange={setRoles} only={undefined} />
        <Field label={t('admin.plants')} name="plants" error={submit.fields['scope.plants']}><input name="plants" /></Field>
        <Field label={t('admin.workCenters')} name="workCenters" error={submit.fields['scope.workCenters']}><input name="workCenters" /></Field>
        <button type="submit" className="primary" disabled={submit.busy}>{t('admin.create')}</button>
        {created && <span className="ok-text" role="status">{t('admin.created', { name: created })}</span>}
        <SubmitError error={submit.error} shown={['username', 'password', 'scope.plants', 'scope.workCenters']} />
      </form>
    </Card>
  );
}

/** Roles, scope and disabling of one user (`PATCH /api/v1/users/:username`); takes effect on their next request. */
function EditUser({ user, username }: { user?: User; username: string }) {
  const { t } = useTranslation();
  const [name, setName] = useState(username);
  const [roles, setRoles] = useState<string[]>(user?.roles ?? []);
  const [done, setDone] = useState(false);
  const submit = useSubmit(() => setDone(true));
  return (
    <Card title={t('admin.editUser')}>
      <form className="form-row" aria-label={t('admin.editUser')} data-testid="edit-user" onSubmit={(e) => {
        const v = formValues(e);
        setDone(false);
        void submit.send(`/api/v1/users/${encodeURIComponent(name)}`, {
          method: 'PATCH',
          body: { ...(roles.length && { roles }), scope: { plants: splitList(v.plants), workCenters: splitList(v.workCenters) }, disabled: v.disabled === 'on' },
        });
      }}>
        <Field label={t('signIn.username')} name="edit-username"><input name="username" value={name} onChange={(e) => setName(e.target.value)} required /></Field>
        <RolePicker value={roles} onChange={setRoles} name="edit-roles" />
        <Field label={t('admin.plants')} name="edit-plants"><input name="plants" defaultValue={(user?.scope?.plants ?? []).join(', ')} /></Field>
        <Field label={t('admin.workCenters')} name="edit-workCenters"><input name="workCenters" defaultValue={(user?.scope?.workCenters ?? []).join(', ')} /></Field>
        <label className="check"><input type="checkbox" name="disabled" defaultChecked={!!user?.disabled} /> {t('admin.disabled')}</label>
        <button type="submit" disabled={submit.busy || !name}>{t('common.save')}</button>
        {done && <span className="ok-text" role="status">{t('common.saved')}</span>}
        <SubmitError error={submit.error} />
      </form>
    </Card>
  );
}
