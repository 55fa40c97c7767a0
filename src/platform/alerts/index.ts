export * from './alerts.ts';
export * from './messages.ts';
export * from './rules.ts';
export * from './routing.ts';
export * from './webhooks.ts';
