/** 位次, 一分一段表 and 冲/稳/保 guidance: pure rules, no I/O. */
export * from './rank';
export * from './score-table';
export * from './guidance';
