export * from './labels';
export * from './layout';
export * from './model';
export * from './rows';
export * from './width';
export * from './testPage';
