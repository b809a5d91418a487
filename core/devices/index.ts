export * from './config';
export * from './contract';
export * from './errors';
export * from './ids';
export * from './scan';
export * from './status';
export * from './wire';
