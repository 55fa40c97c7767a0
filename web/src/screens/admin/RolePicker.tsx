import { useTranslation } from 'react-i18next';

export const ROLE_NAMES = ['admin', 'manager', 'planner', 'purchaser', 'warehouse', 'finance', 'supervisor', 'operator', 'inspector', 'integration', 'device'];

/** Roles as checkboxes (a fieldset with a legend, so a screen reader says what they are for). */
export function RolePicker({ value, onChange, name = 'roles', only }: { value: string[]; onChange: (v: string[]) => void; name?: string; only?: string[] }) {
  const { t } = useTranslation();
  return (
    <fieldset className="roles">
      <legend>{t('admin.roles')}</legend>
      {(only ?? ROLE_NAMES).map((r) => (
        <label key={r} className="check">
          <input type="checkbox" name={name} value={r} checked={value.includes(r)} onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))} />
          {t(`role.${r}`, { defaultValue: r })}
        </label>
      ))}
    </fieldset>
  );
}

export const splitList = (s: string | undefined) => (s ?? '').split(/[,\s]+/).filter(Boolean);
