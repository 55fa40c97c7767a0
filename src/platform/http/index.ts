export * from './route.ts';
export * from './server.ts';
export * from './errors.ts';
export * from './paging.ts';
