/**
 * Method + path-pattern routing with specificity ordering and DHIS2's path normalisation.
 *
 * Patterns are `/`-separated segments: a literal (`system`), a parameter (`:id`, one segment) or a
 * rest parameter (`*rest`, one or more trailing segments, captured joined by `/`). When several
 * routes match, the most specific wins, compared segment by segment (literal > `:param` >
 * `*rest`); between equally specific routes the higher `priority` wins, then the one registered
 * LAST, so a module or a test can shadow a route.
 */

/** HTTP methods the emulator routes. `"*"` matches any. */
export type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

type Segment =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "param"; readonly name: string }
  | { readonly kind: "rest"; readonly name: string };

const RANK = { literal: 0, param: 1, rest: 2 } as const;

/** One registered route. `H` is the handler type (kept generic so the router has no Ctx import). */
export interface Route<H> {
  readonly method: Method | "*";
  readonly pattern: string;
  readonly handler: H;
  /** `undefined` = the default (auth required under `/api/`, not elsewhere). */
  readonly auth: boolean | undefined;
  /** Breaks ties between equally specific routes (default 0; higher wins). */
  readonly priority: number;
  readonly segments: readonly Segment[];
  readonly seq: number;
}

/** The outcome of a lookup. */
export type RouteMatch<H> =
  | { readonly kind: "found"; readonly route: Route<H>; readonly params: Record<string, string> }
  | { readonly kind: "method-not-allowed"; readonly allow: readonly string[] }
  | { readonly kind: "not-found" };

function parsePattern(pattern: string): Segment[] {
  if (!pattern.startsWith("/")) throw new Error(`Route pattern must start with "/": ${pattern}`);
  const parts = pattern === "/" ? [""] : pattern.slice(1).split("/");
  return parts.map((part, i) => {
    if (part.startsWith(":")) {
      if (part.length < 2) throw new Error(`Empty parameter name in route pattern ${pattern}`);
      return { kind: "param", name: part.slice(1) };
    }
    if (part.startsWith("*")) {
      if (i !== parts.length - 1) throw new Error(`A *rest segment must come last in ${pattern}`);
      return { kind: "rest", name: part.slice(1) || "rest" };
    }
    return { kind: "literal", value: part };
  });
}

/** Negative when `a` is more specific than `b`. */
function compareSpecificity<H>(a: Route<H>, b: Route<H>): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const sa = a.segments[i];
    const sb = b.segments[i];
    if (!sa || !sb) {
      // A rest segment consumed the remainder: the longer, explicit pattern is more specific.
      return sa ? -1 : 1;
    }
    const d = RANK[sa.kind] - RANK[sb.kind];
    if (d !== 0) return d;
  }
  // Methods: an explicit method beats "*".
  if (a.method !== b.method) {
    if (a.method === "*") return 1;
    if (b.method === "*") return -1;
  }
  if (a.priority !== b.priority) return b.priority - a.priority;
  return b.seq - a.seq; // later registration wins
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.kind === "rest") {
      if (i >= parts.length) return null;
      params[seg.name] = parts.slice(i).map(safeDecode).join("/");
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === "literal") {
      if (seg.value !== part) return null;
    } else {
      if (part === "") return null;
      params[seg.name] = safeDecode(part);
    }
  }
  return parts.length === segments.length ? params : null;
}

/**
 * A route table. Lookups are a linear scan over routes kept sorted by specificity, which is plenty
 * for the few hundred routes the emulator has.
 */
export class Router<H> {
  #routes: Route<H>[] = [];
  #seq = 0;

  /** Registers a route; returns it (handy for tests). */
  add(method: Method | "*", pattern: string, handler: H, auth?: boolean, priority = 0): Route<H> {
    const route: Route<H> = {
      method,
      pattern,
      handler,
      auth,
      priority,
      segments: parsePattern(pattern),
      seq: this.#seq++,
    };
    this.#routes.push(route);
    this.#routes.sort(compareSpecificity);
    return route;
  }

  /** Every route, most specific first. */
  get routes(): readonly Route<H>[] {
    return this.#routes;
  }

  /** Finds the best route for a normalised path. `HEAD` falls back to `GET` routes. */
  match(method: string, path: string): RouteMatch<H> {
    const parts = path === "/" ? [""] : path.slice(1).split("/");
    const allow = new Set<string>();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === "*" || route.method === method || (method === "HEAD" && route.method === "GET")) {
        return { kind: "found", route, params };
      }
      allow.add(route.method);
    }
    return allow.size > 0 ? { kind: "method-not-allowed", allow: [...allow] } : { kind: "not-found" };
  }
}

/** Format extensions DHIS2 accepts on API paths (`/api/dataElements.json`, `.../rawData.csv`). */
const EXTENSIONS = [
  "json.gz",
  "json.zip",
  "csv.gz",
  "csv.zip",
  "xml.gz",
  "xml.zip",
  "adx.xml",
  "html+css",
  "json",
  "jsonp",
  "xml",
  "csv",
  "xls",
  "xlsx",
  "pdf",
  "html",
  "geojson",
  "png",
] as const;

/** A request path after DHIS2's normalisation. */
export interface NormalizedPath {
  /** The path routes are matched against: no `/api/<n>/` version, no format extension. */
  readonly path: string;
  /** The numeric API version from `/api/42/...`, if any. */
  readonly apiVersion: number | undefined;
  /** The format extension of the last segment (`json`, `csv`, ...), if any. */
  readonly ext: string | undefined;
  /** True for `/api` and everything below it. */
  readonly isApi: boolean;
}

/**
 * Normalises a raw pathname the way DHIS2 does for API paths: `/api/42/me.json` answers like
 * `/api/me`. Outside `/api` the path is left alone (the OAuth2 endpoints care about trailing
 * slashes).
 *
 * @example
 * normalizePath("/api/42/dataElements.json"); // { path: "/api/dataElements", apiVersion: 42, ext: "json", isApi: true }
 */
export function normalizePath(rawPath: string): NormalizedPath {
  let path = rawPath || "/";
  if (path !== "/api" && !path.startsWith("/api/")) {
    return { path, apiVersion: undefined, ext: undefined, isApi: false };
  }
  let apiVersion: number | undefined;
  const m = /^\/api\/(\d{2})(?=\/|$)/.exec(path);
  if (m) {
    apiVersion = Number(m[1]);
    path = "/api" + path.slice(m[0].length);
  }
  // Spring (5.x in these versions) matches a trailing slash like its absence on API paths.
  while (path.length > 4 && path.endsWith("/")) path = path.slice(0, -1);
  let ext: string | undefined;
  const lastSlash = path.lastIndexOf("/");
  const last = path.slice(lastSlash + 1);
  for (const e of EXTENSIONS) {
    if (last.length > e.length + 1 && last.endsWith("." + e)) {
      ext = e;
      path = path.slice(0, path.length - e.length - 1);
      break;
    }
  }
  return { path, apiVersion, ext, isApi: true };
}
