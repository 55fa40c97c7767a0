export * from './errors.ts';
export * from './quantity.ts';
export * from './clock.ts';
