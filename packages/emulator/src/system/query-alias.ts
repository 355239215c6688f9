/**
 * `/api/query/alias`: DHIS2's way around URLs too long for a proxy (414). `POST { target }` stores
 * the path + query under the SHA-1 of the target and answers `{ id, path, href, target }`;
 * `GET /api/query/alias/{id}` answers as if the target had been requested; an unknown or expired
 * id is a 404. After dhis2-core `QueryController` (target must start with `/api/`, at most
 * 16 KiB; aliases live in a cache that expires 3 hours after writing, `DefaultCacheProvider
 * .createQueryAliasCache`).
 */

import type { EmulatorApp, EmulatorModule } from "../app.js";
import { hex, sha1Of } from "../bytes.js";
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";

const MAX_TARGET_LENGTH = 16 * 1024;
/** How long an alias lives after it was written. */
export const QUERY_ALIAS_TTL_MS = 3 * 60 * 60 * 1000;

declare module "../app.js" {
  interface EmulatorExtensions {
    /** Query aliases by id: the target and when it expires (emulator clock, ms). */
    queryAliases?: Map<string, { target: string; expiresAt: number }>;
  }
}

function aliases(app: EmulatorApp): Map<string, { target: string; expiresAt: number }> {
  app.extensions.queryAliases ??= new Map();
  return app.extensions.queryAliases;
}

async function targetOf(ctx: Ctx): Promise<string> {
  let body: unknown;
  try {
    body = JSON.parse(await ctx.bodyText());
  } catch {
    throw new HttpError(400, "Request body must be a valid JSON object");
  }
  const target = body && typeof body === "object" ? (body as { target?: unknown }).target : undefined;
  if (typeof target !== "string") throw new HttpError(400, "Alias must contain a 'target' property");
  if (!target.startsWith("/api/")) throw new HttpError(400, "Target must start with /api/");
  if (target.length > MAX_TARGET_LENGTH) throw new HttpError(400, "Target url exceeds maximum length");
  return target;
}

/** The query alias module (listed in `src/modules.ts`). */
export const queryAliasModule: EmulatorModule = {
  name: "query-alias",
  install(app) {
    app.post("/api/query/alias", async (ctx) => {
      const target = await targetOf(ctx);
      const id = hex(sha1Of(target));
      aliases(app).set(id, { target, expiresAt: ctx.state.clock.now() + QUERY_ALIAS_TTL_MS });
      const path = `/api/query/alias/${id}`;
      ctx.json(200, { id, path, href: `${ctx.origin}${path}`, target });
    });
    app.get("/api/query/alias/:id", async (ctx) => {
      const alias = aliases(app).get(ctx.params.id!);
      if (!alias || alias.expiresAt <= ctx.state.clock.now()) {
        aliases(app).delete(ctx.params.id!);
        throw new HttpError(404, "No query alias found with this hash id, it may have expired.");
      }
      await app.forward(ctx, alias.target);
    });
  },
};
