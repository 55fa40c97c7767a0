export * from './permissions.ts';
export * from './tokens.ts';
export * from './users.ts';
export * from './scope.ts';
export * from './sessions.ts';
export * from './login-limiter.ts';
export { Throttled, Semaphore } from './throttle.ts';
