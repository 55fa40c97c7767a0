export * from './permissions.ts';
export * from './tokens.ts';
export * from './users.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
