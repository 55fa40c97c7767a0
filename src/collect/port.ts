import type { Queryable, UnitOfWork } from '../platform/index.ts';

/**
 * What ingest needs of the shop floor (the MES), as one narrow interface: collect never reads
 * MES tables. `mes-port.ts` implements it with the MES door; tests may pass another.
 * Each write runs inside the caller's unit of work; throwing an AppError (e.g. `conflict` when the
 * work centre has no running operation) rejects that one message with the error's message.
 */
export interface ShopFloorPort {
  resolveWorkCenter(q: Queryable, code: string): Promise<{ code: string; plant: string } | null>;
  reportCount(uow: UnitOfWork, count: { workCenter: string; operation?: string; good: number; scrap: number; at: Date }): Promise<void>;
  recordState(uow: UnitOfWork, event: { workCenter: string; state: 'running' | 'idle' | 'down'; reason?: string; at: Date }): Promise<void>;
}
