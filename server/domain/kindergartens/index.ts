export * from './types';
export * from './record';
export * from './names';
export * from './rules';
export * from './indicators';
export * from './import';
