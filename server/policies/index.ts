export * from './actor';
export * from './school.policy';
export * from './student.policy';
export * from './job.policy';
export * from './account.policy';
export * from './scope';
export * from './actions';
export * from './authorize';
