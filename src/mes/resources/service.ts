import type { Config, Queryable, UnitOfWork } from '../../platform/index.ts';
import { conflict, notFound, num, unprocessable } from '../../platform/index.ts';
import { DEFAULT_CALENDAR, type ShiftCalendar } from './calendar.ts';
import type { OperatorRow, PlantRow, SetupChange, WorkCenterRow } from './store.ts';

export interface WorkCenterInput {
  code: string;
  name: string;
  costPerHour: number;
  laborCostPerHour?: number;
  energyCostPerKwh?: number;
  plant?: string;
  capacity?: number;
  calendar?: Partial<ShiftCalendar>;
  /** The warehouse its material is staged in (an ERP warehouse code); null = none. */
  supplyWarehouse?: string | null;
  /** Changeovers between setup families, for the scheduler; null or [] = none. */
  setupMatrix?: SetupChange[] | null;
}

export interface WorkCenterView {
  code: string;
  name: string;
  plant: string;
  costPerHour: number;
  laborCostPerHour: number;
  energyCostPerKwh: number;
  capacity: number;
  calendar: ShiftCalendar;
  supplyWarehouse: string | null;
  setupMatrix: SetupChange[];
}

const workCenterView = (r: WorkCenterRow): WorkCenterView => ({
  code: r.code,
  name: r.name,
  plant: r.plant,
  costPerHour: num(r.cost_per_hour),
  laborCostPerHour: num(r.labor_cost_per_hour),
  energyCostPerKwh: num(r.energy_cost_per_kwh),
  capacity: Number(r.capacity),
  calendar: r.calendar ?? DEFAULT_CALENDAR,
  supplyWarehouse: r.supply_warehouse,
  setupMatrix: r.setup_matrix ?? [],
});

/**
 * Stored as given; none (null or []) is stored as null. A pair named twice is refused, and so is a
 * change from a family to itself (staying in a family never costs a changeover: the scheduler
 * would ignore the row, and the planner would believe it counts).
 */
function setupMatrixJson(matrix: SetupChange[] | null | undefined): string | null {
  if (!matrix?.length) return null;
  const seen = new Set<string>();
  matrix.forEach((c, k) => {
    if (c.from === c.to)
      throw unprocessable(`the setup matrix changes ${c.from} into itself: staying in a family needs no changeover`, { field: `setupMatrix[${k}]`, from: c.from, to: c.to });
    const pair = JSON.stringify([c.from, c.to]);
    if (seen.has(pair)) throw unprocessable(`the setup matrix names ${c.from} → ${c.to} twice`, { field: `setupMatrix[${k}]`, from: c.from, to: c.to });
    seen.add(pair);
  });
  return JSON.stringify(matrix.map((c) => ({ from: c.from, to: c.to, minutes: c.minutes })));
}

async function assertPlant(q: Queryable, plant: string) {
  const [p] = await q.query<Pick<PlantRow, 'code'>>('select code from mes.plants where code = $1', [plant]);
  if (!p) throw unprocessable(`unknown plant ${plant}`, { plant });
}

export async function createPlant(uow: UnitOfWork, input: { code: string; name: string }) {
  const rows = await uow.query<Pick<PlantRow, 'code'>>('insert into mes.plants (code, name) values ($1, $2) on conflict do nothing returning code', [input.code, input.name]);
  if (!rows.length) throw conflict(`plant ${input.code} exists`, { code: input.code });
  uow.audit({ action: 'create', entity: 'plant', ref: input.code, after: input });
  return input;
}

export const listPlants = (q: Queryable) => q.query<Pick<PlantRow, 'code' | 'name'>>('select code, name from mes.plants order by code');

export async function createWorkCenter(uow: UnitOfWork, config: Config, input: WorkCenterInput): Promise<WorkCenterView> {
  const plant = input.plant ?? 'main';
  await assertPlant(uow, plant);
  const calendar: ShiftCalendar = input.calendar
    ? { shifts: input.calendar.shifts ?? [], exceptions: input.calendar.exceptions ?? [] }
    : DEFAULT_CALENDAR;
  const rows = await uow.query<WorkCenterRow>(
    `insert into mes.work_centers (code, name, plant, cost_per_hour, labor_cost_per_hour, energy_cost_per_kwh, capacity, calendar, supply_warehouse, setup_matrix)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing returning *`,
    [
      input.code,
      input.name,
      plant,
      input.costPerHour,
      input.laborCostPerHour ?? config.defaultLaborCostPerHour,
      input.energyCostPerKwh ?? 0.12,
      input.capacity ?? 1,
      JSON.stringify(calendar),
      input.supplyWarehouse ?? null,
      setupMatrixJson(input.setupMatrix),
    ],
  );
  if (!rows.length) throw conflict(`work centre ${input.code} exists`, { code: input.code });
  const view = workCenterView(rows[0]);
  uow.audit({ action: 'create', entity: 'work_center', ref: input.code, after: view });
  return view;
}

/** Rates and calendar change for the future only: bookings keep the rates they were made with. */
export async function updateWorkCenter(uow: UnitOfWork, code: string, patch: Partial<Omit<WorkCenterInput, 'code'>>) {
  const [before] = await uow.query<WorkCenterRow>('select * from mes.work_centers where code = $1 for update', [code]);
  if (!before) throw notFound('work centre', code);
  if (patch.plant) await assertPlant(uow, patch.plant);
  const b = workCenterView(before);
  const calendar = patch.calendar ? { shifts: patch.calendar.shifts ?? [], exceptions: patch.calendar.exceptions ?? [] } : b.calendar;
  const [after] = await uow.query<WorkCenterRow>(
    `update mes.work_centers set name = $2, plant = $3, cost_per_hour = $4, labor_cost_per_hour = $5, energy_cost_per_kwh = $6,
       capacity = $7, calendar = $8, supply_warehouse = $9, setup_matrix = $10 where code = $1 returning *`,
    [
      code,
      patch.name ?? b.name,
      patch.plant ?? b.plant,
      patch.costPerHour ?? b.costPerHour,
      patch.laborCostPerHour ?? b.laborCostPerHour,
      patch.energyCostPerKwh ?? b.energyCostPerKwh,
      patch.capacity ?? b.capacity,
      JSON.stringify(calendar),
      patch.supplyWarehouse === undefined ? b.supplyWarehouse : patch.supplyWarehouse,
      setupMatrixJson(patch.setupMatrix === undefined ? b.setupMatrix : patch.setupMatrix),
    ],
  );
  const view = workCenterView(after);
  uow.audit({ action: 'update', entity: 'work_center', ref: code, before: b, after: view });
  return view;
}

export async function listWorkCenters(q: Queryable, f: { workCenters?: string[] | null; plants?: string[] | null } = {}) {
  const rows = await q.query<WorkCenterRow>(
    `select * from mes.work_centers where ($1::text[] is null or code = any($1)) and ($2::text[] is null or plant = any($2)) order by code`,
    [f.workCenters ?? null, f.plants ?? null],
  );
  return rows.map(workCenterView);
}

export async function getWorkCenter(q: Queryable, code: string): Promise<WorkCenterView> {
  const [r] = await q.query<WorkCenterRow>('select * from mes.work_centers where code = $1', [code]);
  if (!r) throw notFound('work centre', code);
  return workCenterView(r);
}

export interface OperatorInput {
  code: string;
  name: string;
  plant?: string;
  workCenters?: string[];
}

export async function createOperator(uow: UnitOfWork, input: OperatorInput) {
  const plant = input.plant ?? 'main';
  await assertPlant(uow, plant);
  const rows = await uow.query<Pick<OperatorRow, 'code'>>(
    'insert into mes.operators (code, name, plant, work_centers) values ($1, $2, $3, $4) on conflict do nothing returning code',
    [input.code, input.name, plant, input.workCenters ?? []],
  );
  if (!rows.length) throw conflict(`operator ${input.code} exists`, { code: input.code });
  const view = { code: input.code, name: input.name, plant, workCenters: input.workCenters ?? [] };
  uow.audit({ action: 'create', entity: 'operator', ref: input.code, after: view });
  return view;
}

export async function listOperators(q: Queryable) {
  const rows = await q.query<Pick<OperatorRow, 'code' | 'name' | 'plant' | 'work_centers'>>('select code, name, plant, work_centers from mes.operators order by code');
  return rows.map((r) => ({ code: r.code, name: r.name, plant: r.plant, workCenters: r.work_centers }));
}
