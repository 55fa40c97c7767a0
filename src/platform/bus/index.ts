export * from './bus.ts';
export * from './relay.ts';
export * from './jetstream.ts';
