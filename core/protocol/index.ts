export * from './allowance';
export * from './auth';
export * from './catalog';
export * from './changes';
export * from './errors';
export * from './redemption';
export * from './manager';
export * from './sale';
