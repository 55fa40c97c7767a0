import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../src/cli/audit.ts';
import { meanAlertResponseMinutes, raiseAlert, verifyWebhookSignature, type NewAlert } from '../src/platform/alerts/index.ts';
import { systemActor, type ModuleDefinition } from '../src/platform/index.ts';
import { platformServices } from '../src/platform/routes.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const db = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';

/** A consumer that audits what it handles, to see the message id on its rows. */
const auditedConsumer: ModuleDefinition = {
  name: 'govtest',
  subscribe(subs) {
    subs.subscribe('govtest', 'govtest.audited', ['govtest.thing.happened'], async (msg, uow) => {
      uow.audit({ action: 'handle', entity: 'thing', ref: String((msg.payload as { ref: unknown }).ref), after: { seen: true } });
    });
  },
};

let t: TestApp;
let admin: TestApp['call'];
const sealAll = () => platformServices(t.app.db)!.sealer.sealAll();

beforeAll(async () => {
  t = await startTestApp({ extraModules: [auditedConsumer] });
  admin = t.as(t.adminToken);
});
afterAll(() => t?.close());

async function raise(a: NewAlert) {
  return t.app.db.unitOfWork({ actor: systemActor, module: 'erp' }, (uow) => raiseAlert(uow, a));
}

describe(`audit log (${db})`, () => {
  it('records who did what with before/after, names the message a handler handled, and filters', async () => {
    expect((await admin('POST', '/api/v1/users', { username: 'mia', password: 'password-123', roles: ['manager'] })).status).toBe(201);
    const emitted = await t.app.db.unitOfWork({ actor: systemActor, module: 'govtest' }, async (uow) =>
      uow.emitRaw('govtest.thing.happened', { ref: 'T-1' }, { correlationId: 'SO-77' }),
    );
    await t.settle();
    const manager = t.as(await t.login('mia', 'password-123'));
    const created = await manager('GET', '/api/v1/audit?entity=user&ref=mia');
    expect(created.status).toBe(200);
    expect(created.body).toEqual([expect.objectContaining({ user: 'user:admin', action: 'create', entity: 'user', ref: 'mia', before: null, after: { roles: ['manager'], scope: {} } })]);
    const handled = await manager('GET', `/api/v1/audit?messageId=${emitted.id}`);
    expect(handled.body).toEqual([expect.objectContaining({ user: 'message:govtest.audited', entity: 'thing', ref: 'T-1', messageId: emitted.id, correlationId: 'SO-77' })]);
    expect((await manager('GET', '/api/v1/audit?user=admin')).body.every((r: any) => r.user === 'user:admin')).toBe(true);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await manager('GET', `/api/v1/audit?from=${future}`)).body).toEqual([]);
    expect((await manager('GET', `/api/v1/audit?to=${future}&entity=user`)).body.length).toBeGreaterThanOrEqual(1);
    expect((await manager('GET', '/api/v1/audit?from=yesterday')).status).toBe(400);
    const planner = t.as(await t.userWith(['planner']));
    expect((await planner('GET', '/api/v1/audit')).status).toBe(403);
  });

  it('is append-only: updates and deletes are refused by the database', async () => {
    await sealAll();
    const [row] = await t.app.db.query(`select seq from platform.audit_log order by seq limit 1`);
    await expect(t.app.db.query(`update platform.audit_log set after = '{"forged":true}' where seq = $1`, [row.seq])).rejects.toThrow(/append-only/);
    await expect(t.app.db.query(`delete from platform.audit_log where seq = $1`, [row.seq])).rejects.toThrow(/append-only/);
    await expect(t.app.db.query(`update platform.audit_log set hash = 'x' where seq = $1`, [row.seq])).rejects.toThrow(/append-only/);
    await expect(t.app.db.query(`truncate platform.audit_log`)).rejects.toThrow(/append-only/);
  });

  it('seals rows of concurrent writers into one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.db.unitOfWork({ actor: { kind: 'user', id: `w${i}`, roles: ['admin'] }, module: 'erp' }, async (uow) => {
          uow.audit({ action: 'create', entity: 'probe', ref: `P-${i}`, after: { i, qty: 1.5, note: 'ü "quoted"' } });
        }),
      ),
    );
    await sealAll();
    const [{ n }] = await t.app.db.query<{ n: number }>(`select count(*)::int as n from platform.audit_log where chain_no is null`);
    expect(n).toBe(0);
    const chain = await admin('GET', '/api/v1/audit/chain');
    expect(chain.body).toMatchObject({ ok: true, unsealed: 0, firstBroken: null });
    expect(chain.body.checked).toBeGreaterThanOrEqual(22);
    const out: string[] = [];
    expect(await runAudit(['verify'], { db: t.app.db, out: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n')).toMatch(/intact/);
  });

  // alerts below add audit rows; the tamper test is last in the file.
});

describe(`alerts (${db})`, () => {
  it('routes a kind to the configured role, who acknowledges it; the response time is kept', async () => {
    const warehouse = t.as(await t.userWith(['warehouse']));
    const purchaser = t.as(await t.userWith(['purchaser']));
    expect((await purchaser('PUT', '/api/v1/alerts/routing', { shortage: 'warehouse' })).status).toBe(403);
    expect((await admin('PUT', '/api/v1/alerts/routing', { shortage: 'nobody' })).status).toBe(400);
    const routed = await admin('PUT', '/api/v1/alerts/routing', { shortage: 'warehouse' });
    expect(routed.status).toBe(200);
    expect(routed.body).toMatchObject({ shortage: 'warehouse', reorder: 'purchaser' });
    expect((await purchaser('GET', '/api/v1/alerts/routing')).body.shortage).toBe('warehouse');

    const id = (await raise({ kind: 'shortage', severity: 'warning', ref: 'ITEM-9', message: 'ITEM-9 short by 4', role: 'purchaser' }))!;
    expect((await warehouse('GET', '/api/v1/alerts')).body.map((a: any) => a.id)).toContain(id);
    expect((await purchaser('GET', '/api/v1/alerts')).body.map((a: any) => a.id)).not.toContain(id);
    expect((await purchaser('POST', `/api/v1/alerts/${id}/ack`)).status).toBe(403);

    await t.app.db.query(`update platform.alerts set created_at = now() - interval '30 minutes' where id = $1`, [id]);
    const ack = await warehouse('POST', `/api/v1/alerts/${id}/ack`);
    expect(ack.status).toBe(200);
    expect(ack.body.responseMinutes).toBeGreaterThanOrEqual(29.9);
    expect(ack.body.responseMinutes).toBeLessThan(31);
    const [a] = (await admin('GET', '/api/v1/alerts?kind=shortage')).body;
    expect(a).toMatchObject({ id, role: 'warehouse', acknowledgedBy: expect.stringMatching(/warehouse/) });
    const mean = await meanAlertResponseMinutes(t.app.db, { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) });
    expect(mean).toBeGreaterThanOrEqual(29.9);
    expect(await meanAlertResponseMinutes(t.app.db, { from: new Date(Date.now() + 60_000) })).toBeNull();
    // routing moves open alerts too
    const open = (await raise({ kind: 'reorder', severity: 'info', ref: 'ITEM-8', message: 'reorder ITEM-8' }))!;
    await admin('PUT', '/api/v1/alerts/routing', { reorder: 'finance' });
    expect((await admin('GET', '/api/v1/alerts?kind=reorder')).body.find((x: any) => x.id === open).role).toBe('finance');
  });

  it('fires a cross-domain rule exactly when both conditions hold for the same sales order', async () => {
    const rule = await admin('POST', '/api/v1/alerts/rules', { name: 'late and short', kinds: ['late_order', 'shortage'], role: 'purchaser', severity: 'critical' });
    expect(rule.status).toBe(201);
    const ruleAlerts = async () => (await admin('GET', '/api/v1/alerts?kind=rule&open=true')).body.filter((a: any) => a.ref.startsWith(`rule:${rule.body.id}:`));

    await raise({ kind: 'late_order', severity: 'warning', ref: 'SO-1/1', message: 'SO-1 line 1 late', correlationId: 'SO-1' });
    expect(await ruleAlerts()).toEqual([]);
    await raise({ kind: 'shortage', severity: 'warning', ref: 'C-7@SO-2', message: 'C-7 short', correlationId: 'SO-2' });
    expect(await ruleAlerts()).toEqual([]); // another order
    await raise({ kind: 'shortage', severity: 'warning', ref: 'C-7@SO-1', message: 'C-7 short', correlationId: 'SO-1' });
    const fired = await ruleAlerts();
    expect(fired).toEqual([expect.objectContaining({ role: 'purchaser', severity: 'critical', correlationId: 'SO-1', ref: `rule:${rule.body.id}:SO-1` })]);
    await raise({ kind: 'shortage', severity: 'warning', ref: 'C-8@SO-1', message: 'C-8 short', correlationId: 'SO-1' });
    expect(await ruleAlerts()).toHaveLength(1); // still one

    // a fact threshold: equipment down AND at least 2 open alerts on the order → supervisor
    const factRule = await admin('POST', '/api/v1/alerts/rules', {
      name: 'down with trouble',
      kinds: ['equipment_down'],
      fact: { name: 'openAlerts', op: '>=', value: 2 },
      role: 'supervisor',
    });
    expect(factRule.status).toBe(201);
    expect((await admin('POST', '/api/v1/alerts/rules', { name: 'x', kinds: ['shortage'], fact: { name: 'nope', op: '<', value: 1 }, role: 'manager' })).status).toBe(422);
    await raise({ kind: 'equipment_down', severity: 'critical', ref: 'WC-1', message: 'WC-1 down', correlationId: 'SO-3' });
    const mine = async () => (await admin('GET', '/api/v1/alerts?kind=rule')).body.filter((a: any) => a.ref === `rule:${factRule.body.id}:SO-3`);
    expect(await mine()).toEqual([]);
    await raise({ kind: 'quality_hold', severity: 'warning', ref: 'LOT-3', message: 'LOT-3 held', correlationId: 'SO-3' });
    expect(await mine()).toEqual([expect.objectContaining({ role: 'supervisor' })]);
  });

  it('delivers raised alerts to a webhook, signed, with retries; and on the live stream', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = received.length === 1 ? 500 : 204; // the first attempt fails
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      platformServices(t.app.db)!.webhooks.configure({ backoffMs: 20, pollMs: 20 });
      const hook = await admin('POST', '/api/v1/webhooks', { url, kinds: ['quality_hold'] });
      expect(hook.status).toBe(201);
      expect(hook.body.secret).toMatch(/^whsec_/);
      expect(JSON.stringify((await admin('GET', '/api/v1/webhooks')).body)).not.toContain(hook.body.secret);
      const live: any[] = [];
      const stop = t.app.hub.listen((e) => live.push(e));
      await raise({ kind: 'equipment_down', severity: 'critical', ref: 'WC-9', message: 'WC-9 down' }); // not subscribed
      const id = await raise({ kind: 'quality_hold', severity: 'warning', ref: 'LOT-77', message: 'LOT-77 held' });
      for (let i = 0; i < 250 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      await t.settle();
      stop();
      expect(received).toHaveLength(2);
      const last = received[1];
      expect(verifyWebhookSignature(hook.body.secret, last.body, last.headers['x-closeloop-signature'] as string)).toBe(true);
      expect(verifyWebhookSignature(hook.body.secret, last.body.replace('LOT-77', 'LOT-78'), last.headers['x-closeloop-signature'] as string)).toBe(false);
      expect(verifyWebhookSignature('whsec_other', last.body, last.headers['x-closeloop-signature'] as string)).toBe(false);
      expect(JSON.parse(last.body)).toMatchObject({ event: 'alert.raised', data: { id, kind: 'quality_hold', ref: 'LOT-77', role: 'inspector' } });
      let d: any;
      for (let i = 0; i < 100; i++) {
        [d] = await t.app.db.query(`select status, attempts from platform.webhook_deliveries where webhook_id = $1`, [hook.body.id]);
        if (d.status === 'delivered') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(d).toEqual({ status: 'delivered', attempts: 2 });
      expect(live.some((e) => e.type === 'platform.alert.raised' && e.payload.id === id)).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe(`tamper evidence (${db})`, () => {
  it('the hash chain finds a row edited behind the trigger’s back', async () => {
    await sealAll();
    expect((await admin('GET', '/api/v1/audit/chain')).body.ok).toBe(true);
    const [victim] = await t.app.db.query(`select seq from platform.audit_log where entity = 'probe' and ref = 'P-3'`);
    await t.app.db.query('alter table platform.audit_log disable trigger audit_log_append_only');
    await t.app.db.query(`update platform.audit_log set after = jsonb_set(after, '{qty}', '150') where seq = $1`, [victim.seq]);
    await t.app.db.query('alter table platform.audit_log enable trigger audit_log_append_only');
    const chain = await admin('GET', '/api/v1/audit/chain');
    expect(chain.body.ok).toBe(false);
    expect(chain.body.firstBroken).toMatchObject({ seq: Number(victim.seq), reason: expect.stringMatching(/changed/) });
    const out: string[] = [];
    expect(await runAudit(['verify'], { db: t.app.db, out: (l) => out.push(l) })).toBe(1);
    expect(out.join('\n')).toContain(`seq ${victim.seq}`);
  });
});
