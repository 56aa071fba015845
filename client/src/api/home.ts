import type { Role } from '@/lib/roles';
import { apiRequest } from './client';

/**
 * A role's home summary (GET /api/{role}/home). The shapes grow with each
 * area of the platform, so the client renders them generically for now.
 */
export type HomeSummary = Record<string, unknown>;

export function fetchHome(role: Role, signal?: AbortSignal): Promise<HomeSummary> {
  return apiRequest<HomeSummary>(`/${role}/home`, { signal });
}
