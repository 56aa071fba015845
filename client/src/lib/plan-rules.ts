/**
 * The plan rules the forms check as people type, imported from the server's
 * domain (no copy here): the server checks the same rules again on save.
 */
export { MAX_CLASS_SIZE } from '../../../server/domain/plans/plan-rules';
