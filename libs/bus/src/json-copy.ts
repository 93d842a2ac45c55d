const MAX_DEPTH = 64;

/** Marks a value the fast copy does not handle; the caller then takes the JSON round trip. */
const UNHANDLED: unique symbol = Symbol('unhandled');

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function copy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // What JSON makes of numbers: non-finite ones become null, -0 becomes 0.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'object': {
      if (value === null) return null;
      if (depth > MAX_DEPTH) return UNHANDLED;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return UNHANDLED;
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i += 1) {
          const item: unknown = value[i];
          // In arrays JSON writes null for what it cannot represent.
          const c =
            item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : copy(item, depth + 1);
          if (c === UNHANDLED) return UNHANDLED;
          out[i] = c;
        }
        return out;
      }
      if (!isPlain(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return UNHANDLED;
      const out: Record<string, unknown> = {};
      for (const key in value) {
        // Assigning "__proto__" would set the copy's prototype instead of an own key, as JSON.parse makes.
        if (key === '__proto__') return UNHANDLED;
        const item = (value as Record<string, unknown>)[key];
        // In objects JSON leaves such keys out.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        const c = copy(item, depth + 1);
        if (c === UNHANDLED) return UNHANDLED;
        out[key] = c;
      }
      return out;
    }
    default:
      // bigint (JSON throws), undefined/function/symbol at the top.
      return UNHANDLED;
  }
}

/**
 * `JSON.parse(JSON.stringify(value))` for data the bus has validated, without the text in
 * between: the in-memory transport gives every subscriber its own copy of an envelope, as a
 * network would, and this copy is what that costs. Anything outside plain JSON data (class
 * instances, toJSON, bigint, very deep nesting) takes the real round trip, so the result and
 * the errors are always those of JSON.
 */
export function jsonCopy<T>(value: T): T {
  const out = copy(value, 0);
  return (out === UNHANDLED ? JSON.parse(JSON.stringify(value)) : out) as T;
}
