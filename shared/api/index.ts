export * from './common.ts';
export * from './auth.ts';
export * from './plans.ts';
export * from './recommendations.ts';
export * from './agreement.ts';
export * from './comments.ts';
export * from './suggestions.ts';
export * from './bin.ts';
