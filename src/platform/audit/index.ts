export * from './chain.ts';
export * from './sealer.ts';
export * from './query.ts';
