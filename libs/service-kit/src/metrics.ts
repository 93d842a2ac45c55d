import type { Request, RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Added as the `service` label on every series. */
  service: string;
  /** Process metrics (CPU, memory, event loop); default true. */
  defaultMetrics?: boolean;
}

export interface MetricDefinition<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  counter<L extends string = never>(definition: MetricDefinition<L>): Counter<L>;
  /** `collect` runs on every scrape (e.g. to read a count from the database). */
  gauge<L extends string = never>(
    definition: MetricDefinition<L> & { collect?: (this: Gauge<L>) => void | Promise<void> },
  ): Gauge<L>;
  histogram<L extends string = never>(definition: MetricDefinition<L> & { buckets?: number[] }): Histogram<L>;
  /** Times every request into `httpDuration`, labelled by route pattern, never raw URL. */
  httpMetricsMiddleware(): RequestHandler;
  /** `GET /metrics` in the Prometheus text format. */
  metricsHandler: RequestHandler;
}

// Unmatched URLs are collapsed so random paths cannot blow up the series count.
function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route === undefined || typeof route.path !== 'string') return 'unmatched';
  return `${req.baseUrl}${route.path}` || '/';
}

/** One registry per call (never prom-client's global one), so tests may create as many as they like. */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  return {
    registry,
    httpDuration,
    counter: (definition) => new Counter({ ...definition, registers }),
    gauge: (definition) => new Gauge({ ...definition, registers }),
    histogram: (definition) => new Histogram({ ...definition, registers }),
    httpMetricsMiddleware: () => (req, res, next) => {
      const stop = httpDuration.startTimer();
      res.once('finish', () => {
        stop({ method: req.method, route: routeLabel(req), status: String(res.statusCode) });
      });
      next();
    },
    metricsHandler: async (_req, res) => {
      const body = await registry.metrics();
      res.setHeader('Content-Type', registry.contentType);
      res.send(body);
    },
  };
}
