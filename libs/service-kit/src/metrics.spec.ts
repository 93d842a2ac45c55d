import express from 'express';
import request from 'supertest';
import { createMetrics } from './metrics';

describe('createMetrics', () => {
  it('times requests by route pattern and serves the registry', async () => {
    const metrics = createMetrics({ service: 'provider', defaultMetrics: false });
    const orders = metrics.counter({
      name: 'orders_placed_total',
      help: 'orders placed',
      labelNames: ['side'] as const,
    });
    const app = express();
    app.use(metrics.httpMetricsMiddleware());
    const api = express.Router();
    api.get('/orders/:id', (_req, res) => {
      orders.inc({ side: 'BUY' });
      res.json({});
    });
    app.use('/api', api);
    app.get('/metrics', metrics.metricsHandler);

    await request(app).get('/api/orders/1').expect(200);
    await request(app).get('/api/orders/2').expect(200);
    await request(app).get('/random/path/123').expect(404);

    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain(
      'http_request_duration_seconds_count{service="provider",method="GET",route="/api/orders/:id",status="200"} 2',
    );
    expect(res.text).toContain('route="unmatched",status="404"');
    expect(res.text).not.toContain('/random/path');
    expect(res.text).toContain('orders_placed_total{side="BUY",service="provider"} 2');
  });

  it('gives every call its own registry, so the same names can be registered twice', async () => {
    const a = createMetrics({ service: 'a' });
    const b = createMetrics({ service: 'b' });
    a.gauge({ name: 'queue_depth', help: 'depth' }).set(3);
    b.gauge({ name: 'queue_depth', help: 'depth' }).set(4);
    expect(await a.registry.metrics()).toContain('queue_depth{service="a"} 3');
    expect(await b.registry.metrics()).toContain('process_cpu_user_seconds_total');
  });
});
