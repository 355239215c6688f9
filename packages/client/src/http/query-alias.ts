/**
 * DHIS2's way around GET URLs too long for the server or a proxy in front of it (HTTP 414), as
 * its own apps use it: `POST /api/query/alias { "target": "/api/...?..." }` answers
 * `{ id, path, href, target }` (id = SHA-1 of the target), and a GET of `path` answers as the
 * target would (dhis2-core `QueryController`, a Spring `forward:`). Aliases expire hours after
 * they are written (`DefaultCacheProvider.createQueryAliasCache`), so one is made per request
 * and used at once.
 */
import { Dhis2ClientError } from "../errors.js";
import { isObject } from "../is-object.js";
import { readBody } from "./body.js";
import { resolveUrl } from "./params.js";
import type { HttpPipeline } from "./pipeline.js";

/** `/api/...?...` relative to the server root (context path removed), or undefined outside the API. */
export function aliasTarget(baseUrl: string, url: URL): string | undefined {
  const root = new URL(baseUrl).pathname.replace(/\/+$/, "");
  const path = url.pathname.startsWith(root) ? url.pathname.slice(root.length) : url.pathname;
  return path.startsWith("/api/") ? path + url.search : undefined;
}

/** Sends the GET of `target` again through a fresh query alias. */
export async function viaQueryAlias<T>(
  pipeline: HttpPipeline,
  baseUrl: string,
  target: string,
  request: {
    headers: Record<string, string>;
    signal: AbortSignal | undefined;
    read: (res: Response) => Promise<T>;
  },
): Promise<T> {
  const alias = await pipeline.send({
    method: "POST",
    url: resolveUrl(baseUrl, "/api/query/alias"),
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ target }),
    signal: request.signal,
    read: readBody,
  });
  const id = isObject(alias) && typeof alias.id === "string" ? alias.id : undefined;
  const path =
    isObject(alias) && typeof alias.path === "string" ? alias.path : id && `/api/query/alias/${id}`;
  if (!path) {
    throw new Dhis2ClientError(
      "the URL was too long (HTTP 414) and POST /api/query/alias did not answer an alias",
    );
  }
  return pipeline.send({ method: "GET", url: resolveUrl(baseUrl, path), ...request });
}
