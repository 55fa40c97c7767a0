import type { EquipmentState } from './model.ts';

/** A row of mes.equipment_events. */
export interface EquipmentEventRow {
  id: number;
  work_center: string;
  state: EquipmentState;
  reason: string | null;
  at: Date;
  recorded_by: string;
}
