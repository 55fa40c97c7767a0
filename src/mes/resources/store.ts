import type { ShiftCalendar } from './calendar.ts';

/** One changeover of a work centre's setup matrix: minutes to go from one setup family to another. */
export interface SetupChange {
  from: string;
  to: string;
  minutes: number;
}

/** A row of mes.plants. */
export interface PlantRow {
  code: string;
  name: string;
  created_at: Date;
}

/** A row of mes.work_centers. */
export interface WorkCenterRow {
  code: string;
  name: string;
  plant: string;
  cost_per_hour: string;
  labor_cost_per_hour: string;
  energy_cost_per_kwh: string;
  capacity: number;
  /** Null for a centre stored without one: it works DEFAULT_CALENDAR. */
  calendar: ShiftCalendar | null;
  supply_warehouse: string | null;
  setup_matrix: SetupChange[] | null;
  created_at: Date;
}

/** A row of mes.operators. */
export interface OperatorRow {
  code: string;
  name: string;
  plant: string;
  work_centers: string[];
  created_at: Date;
}
