import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../../lib/api.ts';
import { SubmitError, useSubmit } from '../../lib/forms.tsx';
import { fmtMoney, fmtNumber } from '../../lib/format.ts';
import { Card, Loading } from '../../ui.tsx';
import { ItemSearch } from '../orders/ItemSearch.tsx';

interface Bom {
  itemCode: string;
  version: number;
  components: { itemCode: string; qty: number }[];
}
interface Line {
  itemCode: string;
  qty: string;
}

const bomOf = (code: string, version?: number) =>
  api<Bom>(`/api/v1/erp/boms/${encodeURIComponent(code)}${qs({ version })}`).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });

/** The BOM of an item: its versions, a tree of every level, the standard cost roll-up, and a new version. */
export function BomEditor({ itemCode, write }: { itemCode: string; write: boolean }) {
  const { t } = useTranslation();
  const [version, setVersion] = useState<number | undefined>(undefined);
  const bom = useQuery({ queryKey: ['bom', itemCode, version ?? 'current'], queryFn: () => bomOf(itemCode, version) });
  const current = useQuery({ queryKey: ['bom', itemCode, 'current'], queryFn: () => bomOf(itemCode) });
  const [lines, setLines] = useState<Line[]>([]);
  useEffect(() => setLines((bom.data?.components ?? []).map((c) => ({ itemCode: c.itemCode, qty: String(c.qty) }))), [bom.data]);
  const submit = useSubmit<Bom>((b) => setVersion(b.version));
  const latest = current.data?.version ?? 0;
  const save = () =>
    void submit.send(`/api/v1/erp/boms/${encodeURIComponent(itemCode)}`, {
      method: 'PUT',
      body: { components: lines.filter((l) => l.itemCode).map((l) => ({ itemCode: l.itemCode, qty: Number(l.qty) })) },
    });
  return (
    <Card title={t('bom.title')} actions={latest > 0 && <VersionPicker latest={latest} value={version ?? latest} onChange={setVersion} />}>
      {bom.isPending ? <Loading /> : bom.data ? <BomTree code={itemCode} qty={1} depth={0} /> : <p className="muted">{t('bom.none')}</p>}
      {bom.data && <CostRollUp bom={bom.data} />}
      {write && (
        <div className="stack" data-testid="bom-editor">
          <h3>{t('bom.newVersion')}</h3>
          {lines.map((l, i) => (
            <div className="form-row" key={i}>
              <ItemSearch label={t('bom.component')} name={`components.${i}.itemCode`} value={l.itemCode} onChange={(v) => setLines(lines.map((x, j) => (j === i ? { ...x, itemCode: v } : x)))} error={submit.fields[`components.${i}.itemCode`]} />
              <label>
                {t('bom.qtyPer')}
                <input name={`components.${i}.qty`} type="number" min={0} step="any" value={l.qty} onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, qty: e.target.value } : x)))} />
                {submit.fields[`components.${i}.qty`] && <span className="field-error">{submit.fields[`components.${i}.qty`]}</span>}
              </label>
              <button type="button" onClick={() => setLines(lines.filter((_, j) => j !== i))} aria-label={t('common.remove')}>
                ✕
              </button>
            </div>
          ))}
          <div className="form-row">
            <button type="button" onClick={() => setLines([...lines, { itemCode: '', qty: '1' }])} data-action="add-component">
              + {t('bom.addComponent')}
            </button>
            <button type="button" className="primary" onClick={save} disabled={submit.busy || !lines.some((l) => l.itemCode)} data-action="save-bom">
              {t('bom.save')}
            </button>
          </div>
          <SubmitError error={submit.error} shown={lines.flatMap((_, i) => [`components.${i}.itemCode`, `components.${i}.qty`])} />
        </div>
      )}
    </Card>
  );
}

function VersionPicker({ latest, value, onChange }: { latest: number; value: number; onChange: (v: number) => void }) {
  const { t } = useTranslation();
  return (
    <label>
      {t('bom.version')}
      <select name="bomVersion" value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {Array.from({ length: latest }, (_, i) => latest - i).map((v) => (
          <option key={v} value={v}>
            v{v}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One level of the tree; a component with a BOM of its own opens below it. */
function BomTree({ code, qty, depth }: { code: string; qty: number; depth: number }) {
  const bom = useQuery({ queryKey: ['bom', code, 'current'], queryFn: () => bomOf(code), enabled: depth < 8 });
  if (!bom.data) return null;
  return (
    <ul className="tree" data-testid={depth === 0 ? 'bom-tree' : undefined}>
      {bom.data.components.map((c) => (
        <li key={c.itemCode} data-component={c.itemCode}>
          <span>
            {c.itemCode} × {fmtNumber(c.qty * qty, 4)}
          </span>
          <BomTree code={c.itemCode} qty={c.qty * qty} depth={depth + 1} />
        </li>
      ))}
    </ul>
  );
}

/** Standard cost of one unit from the components' standard costs (the server's roll-up keeps them current). */
function CostRollUp({ bom }: { bom: Bom }) {
  const { t } = useTranslation();
  const costs = useQuery({
    queryKey: ['bom-costs', bom.itemCode, bom.version],
    queryFn: () => Promise.all(bom.components.map((c) => api<{ standardCost: number }>(`/api/v1/erp/items/${encodeURIComponent(c.itemCode)}`).then((i) => Number(i.standardCost) * c.qty))),
  });
  const total = costs.data?.reduce((s, v) => s + v, 0);
  return (
    <p data-testid="bom-cost">
      {t('bom.materialCost')}: <strong>{total === undefined ? '…' : fmtMoney(total)}</strong>
    </p>
  );
}
