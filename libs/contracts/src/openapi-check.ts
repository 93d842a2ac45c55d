const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectRefs(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, out);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
}

function resolves(doc: Json, ref: string): boolean {
  if (!ref.startsWith('#/')) return false;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    if (!isObject(node)) return false;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node !== undefined;
}

function checkOperation(doc: Json, where: string, path: string, op: Json, problems: string[]): void {
  const schemes =
    isObject(doc['components']) && isObject(doc['components']['securitySchemes'])
      ? doc['components']['securitySchemes']
      : {};
  if (!isObject(op['responses']) || Object.keys(op['responses']).length === 0) {
    problems.push(`${where}: no responses`);
  } else {
    for (const [status, response] of Object.entries(op['responses'])) {
      if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: bad status ${status}`);
      if (!isObject(response) || typeof response['description'] !== 'string') {
        problems.push(`${where} ${status}: response needs a description`);
      }
    }
  }
  const params = Array.isArray(op['parameters']) ? op['parameters'].filter(isObject) : [];
  for (const param of params) {
    if (typeof param['name'] !== 'string' || !['path', 'query', 'header', 'cookie'].includes(String(param['in']))) {
      problems.push(`${where}: parameter needs a name and a valid "in"`);
    }
    if (param['in'] === 'path' && param['required'] !== true)
      problems.push(`${where}: path parameter ${String(param['name'])} must be required`);
  }
  const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  for (const name of templated) {
    if (!params.some((p) => p['in'] === 'path' && p['name'] === name))
      problems.push(`${where}: path parameter {${name}} not declared`);
  }
  for (const p of params.filter((x) => x['in'] === 'path')) {
    if (!templated.includes(String(p['name'])))
      problems.push(`${where}: path parameter ${String(p['name'])} not in the path`);
  }
  for (const requirement of Array.isArray(op['security']) ? op['security'] : []) {
    for (const name of isObject(requirement) ? Object.keys(requirement) : []) {
      if (!(name in schemes)) problems.push(`${where}: unknown security scheme ${name}`);
    }
  }
}

/**
 * Structural checks for an OpenAPI 3.1 document: the version, info, every operation's
 * responses, path templates matching declared path parameters, known security schemes and
 * resolvable `$ref`s. Returns the problems found (empty = valid). No JSON-Schema validator for
 * 3.1 is installed here, so this covers what generators and Swagger UI actually trip over.
 */
export function findOpenApiProblems(document: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(document)) return ['document is not an object'];
  if (typeof document['openapi'] !== 'string' || !/^3\.1\.\d+$/.test(document['openapi'])) {
    problems.push(`openapi must be 3.1.x, got ${String(document['openapi'])}`);
  }
  const info = document['info'];
  if (!isObject(info) || typeof info['title'] !== 'string' || typeof info['version'] !== 'string') {
    problems.push('info.title and info.version are required');
  }
  const paths = isObject(document['paths']) ? document['paths'] : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    if (/[:*]/.test(path)) problems.push(`path ${path} still has Express syntax`);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (isObject(op)) checkOperation(document, `${method.toUpperCase()} ${path}`, path, op, problems);
    }
  }
  const refs: string[] = [];
  collectRefs(document, refs);
  for (const ref of new Set(refs)) if (!resolves(document, ref)) problems.push(`unresolved $ref ${ref}`);
  return problems;
}
