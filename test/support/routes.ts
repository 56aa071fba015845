import type { Express } from 'express';
import type { Role } from '../../server/policies';

/**
 * Every route of the app as Express 5 holds it, read from the router stack
 * (not from a list kept by hand), so a security test notices a new route:
 *
 *     const routes = listApiRoutes(server.app);   // [{ method: 'GET', path: '/api/rounds/:id', key: 'GET /api/rounds/:id', roles: ['bureau', 'auditor'] }, ...]
 *
 * `roles` are those of the route's `permit(action)` guard (the action's roles in
 * server/policies/actions.ts; server/middleware/authenticate.ts attaches them), null without one.
 */
export interface ListedRoute {
  method: string;
  /** Express path with `:params`, e.g. `/api/high-schools/:highSchoolId/plan`. */
  path: string;
  /** `METHOD path`, the key of the access tables. */
  key: string;
  roles: Role[] | null;
}

interface StackLayer {
  rawPath?: unknown;
  slash?: boolean;
  handle: { stack?: StackLayer[]; roles?: Role[] };
  route?: { path: unknown; methods: Record<string, boolean>; stack: StackLayer[] };
}

function walk(stack: StackLayer[], prefix: string, out: ListedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      const roles = layer.route.stack.map((l) => l.handle.roles).find((r) => Array.isArray(r)) ?? null;
      for (const path of paths) {
        if (typeof path !== 'string') throw new Error(`listApiRoutes: route ${String(path)} is not a string path`);
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
          const full = `${prefix}${path}`;
          out.push({ method: method.toUpperCase(), path: full, key: `${method.toUpperCase()} ${full}`, roles: roles ? [...roles] : null });
        }
      }
    } else if (Array.isArray(layer.handle.stack)) {
      // A mounted router: `app.use('/api', router)` or `router.use(subRouter)`.
      const mount = layer.slash || layer.rawPath === '/' || layer.rawPath === undefined ? '' : layer.rawPath;
      if (typeof mount !== 'string') throw new Error(`listApiRoutes: router mounted at ${String(mount)} is not a string path`);
      walk(layer.handle.stack, `${prefix}${mount}`, out);
    }
  }
}

/** Every method + path under /api, in registration order, without duplicates. */
export function listApiRoutes(app: Express): ListedRoute[] {
  const out: ListedRoute[] = [];
  walk((app as unknown as { router: { stack: StackLayer[] } }).router.stack, '', out);
  const seen = new Set<string>();
  return out.filter((r) => r.path.startsWith('/api/') && !seen.has(r.key) && seen.add(r.key));
}

/** Fills `:name` params of an Express path. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`fillPath: no value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}
