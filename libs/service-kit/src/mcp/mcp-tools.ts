/**
 * MCP tools generated from the provider's OpenAPI document, which is itself built from the route
 * definitions in `libs/contracts`: one tool per operation (name = operationId, description =
 * summary and description, input = the operation's path parameters, query and body as JSON
 * Schema), so REST, the document and the tools cannot drift.
 */

type Json = Record<string, unknown>;

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Json & { type: 'object' };
  method: string;
  /** OpenAPI path template, e.g. `/orders/{orderId}`. */
  path: string;
  scope: string;
  /** Changes state: takes `dryRun`. */
  write: boolean;
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `#/components/schemas/X` → `#/$defs/X`, so a tool's schema stands alone. */
function localRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(localRefs);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value))
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : localRefs(v);
  return out;
}

/** The definitions a schema refers to, followed transitively: only these travel with a tool. */
function referenced(schema: unknown, defs: Json): Json {
  const out: Json = {};
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isRecord(value)) return;
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
        const name = v.slice('#/$defs/'.length);
        if (!(name in out) && name in defs) {
          out[name] = defs[name];
          visit(defs[name]);
        }
      } else visit(v);
    }
  };
  visit(schema);
  return out;
}

function group(params: Json[], where: string): Json | undefined {
  const mine = params.filter((p) => p['in'] === where);
  if (mine.length === 0) return undefined;
  const properties: Json = {};
  for (const p of mine)
    properties[String(p['name'])] = {
      ...(isRecord(p['schema']) ? p['schema'] : {}),
      ...(typeof p['description'] === 'string' ? { description: p['description'] } : {}),
    };
  const required = mine.filter((p) => p['required'] === true).map((p) => String(p['name']));
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** Proxy operations relay to another app's own API: no schema to generate a tool from. */
const isPassThrough = (op: Json): boolean => isRecord(op['responses']) && 'default' in op['responses'];

export function toolsFromOpenApi(doc: unknown): McpTool[] {
  if (!isRecord(doc) || !isRecord(doc['paths'])) return [];
  const defs =
    isRecord(doc['components']) && isRecord(doc['components']['schemas'])
      ? localRefs(doc['components']['schemas'])
      : {};
  const tools: McpTool[] = [];
  for (const [path, item] of Object.entries(doc['paths'])) {
    if (!isRecord(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isRecord(op) || typeof op['operationId'] !== 'string' || isPassThrough(op)) continue;
      const parameters = Array.isArray(op['parameters']) ? (op['parameters'] as Json[]) : [];
      const body =
        isRecord(op['requestBody']) && isRecord(op['requestBody']['content'])
          ? (op['requestBody']['content']['application/json'] as Json | undefined)?.['schema']
          : undefined;
      const write = method !== 'get';
      const properties: Json = {};
      const required: string[] = [];
      const params = group(parameters, 'path');
      const query = group(parameters, 'query');
      if (params) {
        properties['params'] = params;
        required.push('params');
      }
      if (query) properties['query'] = query;
      if (body !== undefined) {
        properties['body'] = body;
        if ((op['requestBody'] as Json)['required'] === true) required.push('body');
      }
      if (write)
        properties['dryRun'] = {
          type: 'boolean',
          description: 'Check only, change nothing. Defaults to true unless the token holds the trade scope.',
        };
      const scope = String(op['x-required-scope'] ?? 'admin');
      const local = localRefs(properties) as Json;
      const used = referenced(local, defs as Json);
      const text = [op['summary'], op['description']].filter((s) => typeof s === 'string' && s.length > 0).join('. ');
      tools.push({
        name: op['operationId'],
        description: `${text} (${method.toUpperCase()} /api${path}; scope: ${scope}${write ? '; takes dryRun' : ''})`,
        inputSchema: {
          type: 'object',
          properties: local,
          ...(required.length > 0 ? { required } : {}),
          ...(Object.keys(used).length > 0 ? { $defs: used } : {}),
        },
        method,
        path,
        scope,
        write,
      });
    }
  }
  return tools;
}

/** The concrete path of a tool call: `{name}` filled from `params`, each value encoded. */
export function toolPath(tool: McpTool, params: Json | undefined): string {
  return tool.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
