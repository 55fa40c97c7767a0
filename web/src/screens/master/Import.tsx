import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, download } from '../../lib/api.ts';
import { useSubmit } from '../../lib/forms.tsx';
import { ErrorBox } from '../../ui.tsx';

interface RowError {
  row: number;
  field: string;
  message: string;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Spreadsheet import of one master-data list: a CSV or xlsx file goes to `POST /api/v1/erp/import/:entity`;
 * a bad row is shown exactly as the API reports it (`details.rows`) and nothing is imported. Export as xlsx.
 */
export function ImportExport({ entity, mayWrite }: { entity: string; mayWrite: boolean }) {
  const { t } = useTranslation();
  const file = useRef<HTMLInputElement>(null);
  const [done, setDone] = useState<number | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const submit = useSubmit<{ imported: number }>((r) => setDone(r.imported));
  const rows: RowError[] =
    submit.error instanceof ApiError && submit.error.status === 422 ? (((submit.error.details as { rows?: RowError[] } | undefined)?.rows ?? []) as RowError[]) : [];
  const upload = async () => {
    const f = file.current?.files?.[0];
    if (!f) return;
    setDone(null);
    const isXlsx = /\.xlsx$/i.test(f.name);
    await submit.send(`/api/v1/erp/import/${entity}`, { method: 'POST', raw: { data: isXlsx ? f : await f.text(), contentType: isXlsx ? XLSX : 'text/csv' } });
  };
  return (
    <div className="import" data-testid={`import-${entity}`}>
      <div className="form-row">
        {mayWrite && (
          <>
            <label>
              {t('import.file')}
              <input ref={file} type="file" name="file" accept=".csv,.xlsx,text/csv" />
            </label>
            <button type="button" onClick={() => void upload()} disabled={submit.busy} data-action="import">
              {t('import.upload')}
            </button>
          </>
        )}
        <button
          type="button"
          onClick={() => {
            setExportError(null);
            download(`/api/v1/erp/export/${entity}?format=xlsx`, `${entity}.xlsx`).catch(setExportError);
          }}
        >
          {t('import.export')}
        </button>
      </div>
      {done !== null && (
        <p className="ok-text" role="status" data-testid="imported">
          {t('import.done', { count: done })}
        </p>
      )}
      {rows.length > 0 ? (
        <div role="alert">
          <p className="error">{t('import.rejected', { count: rows.length })}</p>
          <table className="table" data-testid="row-errors">
            <thead>
              <tr>
                <th>{t('import.row')}</th>
                <th>{t('import.field')}</th>
                <th>{t('import.message')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-row-error={r.row}>
                  <td>{r.row}</td>
                  <td>{r.field}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <ErrorBox error={submit.error} />
      )}
      <ErrorBox error={exportError} />
    </div>
  );
}
