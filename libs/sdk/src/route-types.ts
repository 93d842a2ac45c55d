import type { z } from 'zod';
import type { ResponsesSpec, RouteDefinition } from '@barfinex/contracts';

type AnyRoute = RouteDefinition<z.ZodObject | undefined, z.ZodObject | undefined, z.ZodType | undefined, ResponsesSpec>;

type SchemaOf<X> = X extends z.ZodType ? X : X extends { schema: infer S extends z.ZodType } ? S : never;
type SuccessKey<R> = Extract<keyof R, 200 | 201 | 202>;
type In<S> = S extends z.ZodType ? z.input<S> : never;

/** The body a route answers with on success, from its definition's 2xx schema. */
export type RouteResult<D> =
  D extends RouteDefinition<infer _P, infer _Q, infer _B, infer R>
    ? [SchemaOf<R[SuccessKey<R>]>] extends [never]
      ? unknown
      : z.output<SchemaOf<R[SuccessKey<R>]>>
    : unknown;

type Part<K extends string, S> = [S] extends [undefined] ? { [P in K]?: never } : { [P in K]: In<NonNullable<S>> };

/** What a caller passes for a route: params, query and body as the route's schemas accept them. */
export type RouteInput<D> =
  D extends RouteDefinition<infer P, infer Q, infer B, infer _R>
    ? Part<'params', P> & Partial<Part<'query', Q>> & Part<'body', B>
    : never;

export type { AnyRoute };
