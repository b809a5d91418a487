import { Readable } from 'node:stream';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import {
  pathParamNames,
  type RouteBody,
  type RouteDef,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
} from '../../core/protocol';
import { LimitError } from '../auth/limits';
import type { AppContext } from '../context';
import { parseOr400 } from './errors';
import { authHook, type ActorFor } from './route-auth';

/** What a handler receives: the actor from the auth hook and the parsed input. */
export interface RouteCall<R extends RouteDef> {
  readonly actor: ActorFor<R['auth']>;
  readonly params: RouteParams<R>;
  readonly query: RouteQuery<R>;
  readonly body: RouteBody<R>;
  /** The client's address (what per-address limits count). */
  readonly address: string;
  /** The server clock when the handler started, ISO-8601 UTC. */
  readonly now: string;
}

/**
 * An answer that is already JSON text of the route's response schema, sent
 * as it is: stored redemption replies go out byte for byte, and pages built
 * from stored documents are not parsed to be serialised again.
 */
export class StoredJson {
  constructor(readonly text: string) {}
}

/** A CSV answer, streamed line by line. */
export interface CsvAnswer {
  readonly filename: string;
  readonly lines: Iterable<string>;
}

/** A text answer of a format of its own (Prometheus metrics). */
export interface TextAnswer {
  readonly contentType: string;
  readonly text: string;
}

export type Answer<R extends RouteDef> = R['kind'] extends 'csv'
  ? CsvAnswer
  : R['kind'] extends 'text'
    ? TextAnswer
    : RouteResponse<R> | StoredJson;

export type Handler<R extends RouteDef> = (call: RouteCall<R>) => Promise<Answer<R>>;

export interface RouteOptions {
  /** Bytes; the server's default (1 MB) otherwise. */
  readonly bodyLimit?: number;
  /** Fastify route config (the in-memory rate limiter reads it). */
  readonly config?: Record<string, unknown>;
  /** A route outside the users' auth kinds (auth 'none') checks its callers here, before anything is read. */
  readonly guard?: onRequestHookHandler;
}

/**
 * Registers one route of core/protocol's ROUTES table: its method and path,
 * the authentication hook of its auth kind, and a handler that receives the
 * params, query and body parsed with the route's schemas (400 with the
 * listed problems otherwise). A body is always parsed as sent: a route that
 * declares an object body refuses a missing one.
 */
export function registerRoute<R extends RouteDef>(
  app: FastifyInstance,
  ctx: AppContext,
  def: R,
  handler: Handler<R>,
  options: RouteOptions = {},
): void {
  if (def.kind === 'ws') throw new Error(`${def.path} is a WebSocket; it is not a plain route`);
  checkParams(def);
  const where = `${def.method} ${def.path}`;
  // What a 400 calls each part: the schema's own description, else its place in the route.
  const names = {
    params: def.params?.description ?? `path of ${where}`,
    query: def.query?.description ?? `query of ${where}`,
    body: def.body?.description ?? `body of ${where}`,
  };
  if (options.guard && def.auth !== 'none')
    throw new Error(`${def.path} has auth ${def.auth}; a guard is for auth 'none' routes`);
  const onRequest = options.guard ?? authHook(ctx, def.auth);
  app.route({
    method: def.method,
    url: def.path,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(onRequest ? { onRequest } : {}),
    handler: async (request, reply) => {
      const call = {
        actor: request.actor,
        params: def.params ? parseOr400(def.params, request.params, names.params) : undefined,
        query: def.query ? parseOr400(def.query, request.query, names.query) : undefined,
        body: def.body ? parseOr400(def.body, request.body, names.body) : undefined,
        address: request.ip,
        now: ctx.now(),
      } as RouteCall<R>;
      let answer: unknown;
      try {
        answer = await handler(call);
      } catch (e) {
        if (e instanceof LimitError && e.retryAfterS !== null)
          void reply.header('Retry-After', String(e.retryAfterS));
        throw e;
      }
      reply.code(def.status);
      if (def.kind === 'csv') {
        const csv = answer as CsvAnswer;
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${csv.filename}"`)
          .send(Readable.from(csv.lines));
      }
      if (def.kind === 'text') {
        const text = answer as TextAnswer;
        return reply.type(text.contentType).send(text.text);
      }
      if (answer instanceof StoredJson)
        return reply.type('application/json; charset=utf-8').send(answer.text);
      return reply.send(answer);
    },
  });
}

/** A table mistake (a `:name` without its schema field, or the reverse) stops the server at start. */
function checkParams(def: RouteDef): void {
  const inPath = pathParamNames(def.path).sort();
  const shape = (def.params as { shape?: Record<string, unknown> } | null)?.shape;
  const declared = shape ? Object.keys(shape).sort() : [];
  if (inPath.join(',') !== declared.join(','))
    throw new Error(
      `route ${def.path}: path parameters [${inPath.join(', ')}] do not match the params schema [${declared.join(', ')}]`,
    );
}
