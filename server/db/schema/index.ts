export * from './org.js';
export * from './staff.js';
export * from './system.js';
export * from './customers.js';
export * from './targets.js';
export * from './scoring.js';
export * from './periods.js';
export * from './quotas.js';
