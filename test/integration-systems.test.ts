import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

describe('outside systems', () => {
  let t: TestApp;
  let api: TestApp['call'];
  beforeAll(async () => {
    t = await startTestApp();
    api = t.as(t.adminToken);
  });
  afterAll(async () => t?.close());

  it('a system is created, updated and listed; its webhook secret is never shown', async () => {
    const put = await api('PUT', '/api/v1/integration/systems/KD', { name: 'Kingdee', role: 'erp', webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ code: 'KD', name: 'Kingdee', role: 'erp', webhook: { url: 'http://127.0.0.1:9/hook' } });
    expect(JSON.stringify(put.body)).not.toContain('a-secret');
    const rename = await api('PUT', '/api/v1/integration/systems/KD', { name: 'Kingdee Cloud', role: 'erp' });
    expect(rename.body).toMatchObject({ name: 'Kingdee Cloud', webhook: { url: 'http://127.0.0.1:9/hook' } });
    const list = await api('GET', '/api/v1/integration/systems');
    expect(list.body.map((s: { code: string }) => s.code)).toEqual(['KD']);
    expect((await api('GET', '/api/v1/integration/systems/NOPE')).status).toBe(404);
    expect((await api('PUT', '/api/v1/integration/systems/KD', { name: 'x', role: 'wms' })).status).toBe(400);
    // a webhook may not point at link-local or cloud-metadata addresses
    const metadata = await api('PUT', '/api/v1/integration/systems/KD', { name: 'x', role: 'erp', webhook: { url: 'http://169.254.169.254/latest', secret: 'a-secret-of-16-chars' } });
    expect(metadata.status).toBe(422);
    expect(metadata.body.error.details.reason).toBe('forbidden_target');
  });
});
