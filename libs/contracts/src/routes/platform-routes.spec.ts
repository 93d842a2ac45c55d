import { buildOpenApiDocument } from '../openapi';
import { findOpenApiProblems } from '../openapi-check';
import { SignalsContextQuerySchema, platformRoutes } from './platform-routes';

const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('signals context query', () => {
  it('takes day windows from 1 to 3650 and defaults the rest', () => {
    expect(SignalsContextQuerySchema.parse({ daysD1: '1', daysH4: '3650' })).toMatchObject({
      daysD1: 1,
      daysH4: 3650,
      daysH1: 90,
    });
  });
  it.each(['0', '-5', '3651', '99999', '1.5', 'abc', ''])('refuses daysD1=%j instead of clamping it', (raw) => {
    const r = SignalsContextQuerySchema.safeParse({ daysD1: raw });
    expect(r.success).toBe(false);
    expect(issues(r)).toEqual([expect.stringMatching(/^daysD1: daysD1 must be/)]);
  });
  it('takes candlesMode FULL or DELTA in any case, anything else is refused', () => {
    expect(SignalsContextQuerySchema.parse({}).candlesMode).toBe('FULL');
    expect(SignalsContextQuerySchema.parse({ candlesMode: 'delta' }).candlesMode).toBe('DELTA');
    expect(SignalsContextQuerySchema.parse({ candlesMode: 'Full' }).candlesMode).toBe('FULL');
    for (const raw of ['bogus', '', 'DELTAS', ['DELTA']]) {
      const r = SignalsContextQuerySchema.safeParse({ candlesMode: raw });
      expect(issues(r)).toEqual(['candlesMode: candlesMode must be FULL or DELTA']);
    }
  });
});

describe('platform routes in OpenAPI', () => {
  const doc = buildOpenApiDocument({ title: 't', version: '1', routes: Object.values(platformRoutes) });
  it('produce a valid document', () => {
    expect(findOpenApiProblems(doc)).toEqual([]);
  });
  it('document the signals context bounds', () => {
    const params = (doc.paths?.['/signals/context/{symbol}']?.get?.parameters ?? []) as Array<{
      name: string;
      schema?: Record<string, unknown>;
    }>;
    const schema = (name: string) => params.find((p) => p.name === name)?.schema;
    expect(schema('daysD1')).toMatchObject({ minimum: 1, maximum: 3650 });
    expect(schema('candlesMode')).toMatchObject({ enum: ['FULL', 'DELTA'] });
  });
  it('document the event sink failure count of the dashboard', () => {
    const overview = doc.components?.schemas?.['DashboardOverview'] as {
      properties: Record<
        string,
        { properties: Record<string, { properties: Record<string, unknown>; required: string[] }> }
      >;
    };
    const sink = overview.properties['infrastructure']?.properties['eventSink'];
    expect(sink?.properties['failures']).toMatchObject({ type: 'integer', minimum: 0 });
    expect(sink?.required).toEqual(expect.arrayContaining(['failures', 'stored', 'dropped', 'buffered']));
  });
});
