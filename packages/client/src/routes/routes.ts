import * as z from "zod";
import { QueryValidationError } from "../resources/errors.js";
import { createdUidOf, type QueryParams, type RawSurface } from "../resources/surface.js";
import { AuthScheme } from "./auth-scheme.js";

/**
 * A DHIS2 Route (`/api/routes`), the fields of dhis2/dhis2-core `dhis-api/.../route/Route.java`.
 * Unknown fields are kept.
 */
export const Route = z.looseObject({
  id: z.string().optional(),
  code: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  disabled: z.boolean().optional(),
  url: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  auth: AuthScheme.optional(),
  authorities: z.array(z.string()).optional(),
  responseTimeoutSeconds: z.number().int().optional(),
});
export type Route = z.infer<typeof Route>;

/** Options of `client.routes.run`. */
export interface RunRouteOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Appended after `/run/` (DHIS2 forwards it when the route URL ends in `/**`). */
  subpath?: string;
  body?: unknown;
  params?: QueryParams;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * `client.routes`: list, read, create and run Route API routes.
 *
 * @example
 * ```ts
 * const id = await client.routes.create({ name: "upstream", url: "https://example.org/api/**",
 *   auth: { type: "api-token", token: process.env.UPSTREAM_TOKEN! } });
 * const answer = await client.routes.run(id, { subpath: "status" });
 * ```
 */
export interface RoutesAccessor {
  list(opts?: { fields?: string; signal?: AbortSignal }): Promise<Route[]>;
  get(id: string, opts?: { signal?: AbortSignal }): Promise<Route>;
  /** Validates `route` (and its `auth`) before sending; resolves to the new route's UID. */
  create(route: Route, opts?: { signal?: AbortSignal }): Promise<string>;
  delete(id: string, opts?: { signal?: AbortSignal }): Promise<unknown>;
  /** `GET|POST|... /api/routes/{id}/run[/subpath]`; resolves to whatever the upstream answered. */
  run(id: string, opts?: RunRouteOptions): Promise<unknown>;
}

const ID_OR_CODE = /^[A-Za-z0-9_-]+$/;

function checkId(id: string): string {
  if (typeof id !== "string" || !ID_OR_CODE.test(id)) {
    throw new QueryValidationError(`route id must be a UID or code, got "${String(id)}"`, "id", String(id));
  }
  return id;
}

/** Builds `client.routes` over the client's raw methods. */
export function createRoutesAccessor(client: RawSurface): RoutesAccessor {
  const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
  return {
    async list(opts = {}) {
      const raw = (await client.getRaw("/api/routes", {
        params: { fields: opts.fields ?? "*", paging: "false" },
        ...sig(opts.signal),
      })) as { routes?: unknown[] } | null;
      return (raw?.routes ?? []).map((r) => Route.parse(r));
    },
    async get(id, opts = {}) {
      return Route.parse(await client.getRaw(`/api/routes/${checkId(id)}`, sig(opts.signal)));
    },
    async create(route, opts = {}) {
      const parsed = Route.safeParse(route);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        // Never echo the route back: its auth may hold secrets.
        throw new QueryValidationError(
          `invalid route: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
          "route",
          issue?.path.join(".") ?? "",
        );
      }
      const raw = await client.postRaw("/api/routes", parsed.data, sig(opts.signal));
      const uid = createdUidOf(raw) ?? parsed.data.id;
      if (!uid) throw new QueryValidationError("DHIS2 did not report the new route's UID", "create", "");
      return uid;
    },
    async delete(id, opts = {}) {
      return client.deleteRaw(`/api/routes/${checkId(id)}`, sig(opts.signal));
    },
    async run(id, opts = {}) {
      const sub = opts.subpath ? `/${opts.subpath.replace(/^\/+/, "")}` : "";
      const path = `/api/routes/${checkId(id)}/run${sub}`;
      const options = {
        ...(opts.params ? { params: opts.params } : {}),
        ...(opts.headers ? { headers: opts.headers } : {}),
        ...sig(opts.signal),
      };
      switch (opts.method ?? "GET") {
        case "GET":
          return client.getRaw(path, options);
        case "POST":
          return client.postRaw(path, opts.body, options);
        case "PUT":
          return client.putRaw(path, opts.body, options);
        case "PATCH":
          return client.patchRaw(path, opts.body, options);
        case "DELETE":
          return client.deleteRaw(path, options);
      }
    },
  };
}
