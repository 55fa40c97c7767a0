export * from './bus.ts';
export * from './relay.ts';
