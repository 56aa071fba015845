/** Free text of families (complaints): ID numbers masked by the one rule (../id-numbers.ts). */
export { maskIdNumbersInText } from '../id-numbers';
