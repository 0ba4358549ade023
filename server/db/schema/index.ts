export * from './org.js';
export * from './staff.js';
export * from './system.js';
