export * from './actor';
export * from './school.policy';
export * from './student.policy';
export * from './job.policy';
export * from './scope';
