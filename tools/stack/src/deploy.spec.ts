// The deployment files are checked against the code they deploy: docker has no engine on every
// machine, so the compose file, the Dockerfile, .env.example and the CI workflow are read and
// compared with each app's config schema and the workspace's project list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { AdvisorConfigSchema } from '@barfinex/advisor';
import { DetectorConfigSchema } from '@barfinex/detector';
import { InspectorConfigSchema } from '@barfinex/inspector';
import { NotifierConfigSchema } from '@barfinex/notifier';
import { ProviderConfigSchema } from '@barfinex/provider';

const root = resolve(__dirname, '../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

function keysOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return keysOf(schema.in as z.ZodType);
  throw new Error('config schema is neither an object nor a pipe of one');
}

const apps = {
  provider: { schema: ProviderConfigSchema, port: 8080 },
  detector: { schema: DetectorConfigSchema, port: 8083 },
  advisor: { schema: AdvisorConfigSchema, port: 8081 },
  inspector: { schema: InspectorConfigSchema, port: 8082 },
  notifier: { schema: NotifierConfigSchema, port: 8084 },
} as const;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  it('runs NATS with JetStream on a volume, PostgreSQL on a volume, and every app', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'advisor',
      'detector',
      'inspector',
      'nats',
      'notifier',
      'postgres',
      'provider',
    ]);
    expect(compose.services['nats']?.image).toMatch(/^nats:/);
    expect(compose.services['nats']?.['command' as keyof Service]).toEqual(expect.arrayContaining(['-js', '-sd']));
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['nats-data', 'postgres-data']));
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(compose.services))
      expect(`${name}: ${service.healthcheck ? 'ok' : 'missing'}`).toBe(`${name}: ok`);
  });

  it.each(Object.entries(apps))(
    '%s: builds from the one Dockerfile with its name as the argument, waits for healthy dependencies, and sets only variables its config reads',
    (name, app) => {
      const service = compose.services[name] as Service;
      expect(service.build).toEqual({
        context: '.',
        dockerfile: 'Dockerfile',
        args: { APP: name, PORT: String(app.port) },
      });
      for (const dep of Object.values(service.depends_on ?? {})) expect(dep.condition).toBe('service_healthy');
      expect(Object.keys(service.depends_on ?? {})).toEqual(
        expect.arrayContaining(name === 'provider' ? ['nats', 'postgres'] : ['nats', 'provider']),
      );
      const known = new Set(keysOf(app.schema));
      const unknown = Object.keys(service.environment ?? {}).filter((k) => !known.has(k));
      expect(unknown).toEqual([]);
      expect(service.ports).toEqual([`${app.port}:${app.port}`]);
      expect(JSON.stringify(service.healthcheck?.test)).toContain(`127.0.0.1:${app.port}/health`);
    },
  );
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('is the only one: every app image is built from it by name', () => {
    const perApp = readdirSync(join(root, 'apps')).filter((a) => existsSync(join(root, 'apps', a, 'Dockerfile')));
    expect(perApp).toEqual([]);
    expect(dockerfile).toMatch(/^ARG APP$/m);
    expect(dockerfile).toContain('tools/build-app.mjs "$APP"');
    expect(dockerfile).toContain('COPY --from=build /repo/apps/${APP}/dist ./dist');
    expect(dockerfile).toMatch(/^EXPOSE \$\{PORT\}$/m);
  });

  it('is multi-stage, installs only production dependencies at runtime and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    // The runtime flags the benchmarks run with (tools/bench/bundled.ts SHIPPED_NODE_FLAGS).
    expect(dockerfile).toContain('CMD ["node", "--max-semi-space-size=32", "dist/main.js"]');
  });

  it("builds Studio into the provider's image only, where the provider looks for it, and only when apps/studio exists", () => {
    expect(dockerfile).toMatch(/if \[ "\$APP" = provider \] && \[ -f apps\/studio\/package\.json \]; then/);
    expect(dockerfile).toContain('COPY --from=build /repo/studio-dist ./apps/studio/dist');
    // The provider's fallback when PROVIDER_STUDIO_DIR is unset: apps/studio/dist under its working directory.
    expect(read('apps/provider/src/http/studio.ts')).toContain("path.resolve(process.cwd(), 'apps/studio/dist')");
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
  });
});

describe('.env.example', () => {
  const documented = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  it.each(Object.entries(apps))('documents every variable %s reads', (_name, app) => {
    expect(keysOf(app.schema).filter((k) => !documented.has(k))).toEqual([]);
  });
});

describe('.github/workflows/ci.yml', () => {
  const workflow = parse(read('.github/workflows/ci.yml')) as {
    jobs: Record<
      string,
      { strategy?: { matrix?: { project?: string[] } }; services?: Record<string, unknown>; steps: { run?: string }[] }
    >;
  };

  function workspaceProjects(): string[] {
    const names: string[] = [];
    for (const dir of ['apps', 'libs', 'tools']) {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const base = join(root, dir, entry.name);
        if (existsSync(join(base, 'project.json')))
          names.push((JSON.parse(readFileSync(join(base, 'project.json'), 'utf8')) as { name: string }).name);
        else if (existsSync(join(base, 'package.json'))) {
          const pkg = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')) as { nx?: { name?: string } };
          if (pkg.nx?.name) names.push(pkg.nx.name);
        }
      }
    }
    return names.sort();
  }

  it('tests every app and lib project in its own matrix job', () => {
    const matrix = workflow.jobs['test']?.strategy?.matrix?.project ?? [];
    expect([...matrix].sort()).toEqual(workspaceProjects());
    const commands = (workflow.jobs['test']?.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(commands).toContain('npx nx test ${{ matrix.project }}');
    expect(commands).toContain('npm ci');
    expect(commands).toMatch(/nats.*-js/);
    expect(Object.keys(workflow.jobs['test']?.services ?? {})).toContain('postgres');
  });

  it('runs lint and typecheck, affected-only on pull requests', () => {
    const commands = (workflow.jobs['checks']?.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(commands).toContain('nx affected -t lint typecheck');
    expect(commands).toContain('nx run-many -t lint typecheck');
  });
});
