/**
 * `npm run -s quotas -- <quota-instance.json> <quota-result.json>` (ALLOCATION.md §3):
 * the quota distribution (指标分配) of §1.
 */
import { distributeQuotas } from '../domain/quotas/distribute';
import { runCli } from './run-cli';

runCli('quotas', (instance, _flags, write) => write(JSON.stringify(distributeQuotas(instance))));
