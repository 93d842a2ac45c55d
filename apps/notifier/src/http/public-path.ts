import type { Request } from 'express';

/** Links must work through the provider proxy, which announces its prefix. */
export function publicPath(req: Request, path: string): string {
  const prefix = req.headers['x-forwarded-prefix'];
  return `${typeof prefix === 'string' ? prefix.replace(/\/+$/, '') : ''}${path}`;
}
