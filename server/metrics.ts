import type { Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The route pattern of a request (not its path: ids would explode the label set and leak data). */
export function routeLabel(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  return req.originalUrl.startsWith('/api') ? 'unmatched /api' : 'static';
}

/**
 * Prometheus metrics, on a registry of their own so several apps can live in
 * one process (tests). Served at GET /metrics.
 */
export function createMetrics(options: { service: string }) {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const observe: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }));
    next();
  };

  return { registry, observe };
}

export type Metrics = ReturnType<typeof createMetrics>;
