import type { ApiTokenRecord } from "../api-tokens.js";
import type { EmulatorModule } from "../app.js";
import { dhis2Timestamp } from "../clock.js";
import { HttpError } from "../web-message.js";

const KLASS = "org.hisp.dhis.security.apikey.ApiToken";

/** The token as `GET /api/apiToken/{id}` shows it: the hash is never shown, the key never again. */
function view(r: ApiTokenRecord): Record<string, unknown> {
  return {
    id: r.id,
    created: r.created,
    lastUpdated: r.lastUpdated,
    type: r.type,
    version: r.version,
    expire: r.expire,
    attributes: r.attributes,
    createdBy: { id: r.userId },
  };
}

/**
 * `/api/apiToken`: personal access tokens. Creation answers 201 with a WebMessage whose
 * `response` is an `ApiTokenCreationResponse` (an ObjectReport plus `key`, the plaintext token,
 * shown only this once): dhis2-core `ApiTokenController#postJsonObject`.
 */
export const apiTokenModule: EmulatorModule = {
  name: "apiToken",
  install(app) {
    // apiToken is also a schema resource: these dedicated routes must beat the generic CRUD ones.
    const opts = { priority: 1 };
    app.post(
      "/api/apiToken",
      async (ctx) => {
        const body = await ctx.readJson<Record<string, unknown>>();
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
          throw new HttpError(400, "Expected a JSON object");
        }
        const type = body.type ?? "PERSONAL_ACCESS_TOKEN_V2";
        if (type !== "PERSONAL_ACCESS_TOKEN_V2" && type !== "PERSONAL_ACCESS_TOKEN") {
          throw new HttpError(400, `Unknown API token type: ${String(type)}`);
        }
        const now = ctx.state.clock.now();
        // The server default is 30 days when no expiry is given.
        const expire = body.expire === undefined ? now + 30 * 24 * 3600 * 1000 : Number(body.expire);
        if (!Number.isFinite(expire)) throw new HttpError(400, "`expire` must be epoch milliseconds");
        const { plaintext, record } = ctx.state.tokens.create({
          userId: ctx.user!.id,
          expire,
          type,
          attributes: Array.isArray(body.attributes) ? body.attributes : [],
          stamp: dhis2Timestamp(now),
        });
        ctx.webMessage(
          201,
          undefined,
          {
            response: {
              responseType: "ApiTokenCreationResponse",
              uid: record.id,
              klass: KLASS,
              errorReports: [],
              key: plaintext,
            },
          },
          { Location: `${ctx.origin}/api/apiToken/${record.id}` },
        );
      },
      opts,
    );

    app.get(
      "/api/apiToken",
      (ctx) => {
        const tokens = ctx.state.tokens.ofUser(ctx.user!.id).map(view);
        ctx.json(200, {
          pager: { page: 1, pageCount: 1, total: tokens.length, pageSize: 50 },
          apiToken: tokens,
        });
      },
      opts,
    );

    app.get(
      "/api/apiToken/:id",
      (ctx) => {
        const r = ctx.state.tokens.byId(ctx.params.id!);
        if (!r || r.userId !== ctx.user!.id) return ctx.notFound("ApiToken", ctx.params.id!);
        ctx.json(200, view(r));
      },
      opts,
    );

    app.delete(
      "/api/apiToken/:id",
      (ctx) => {
        const r = ctx.state.tokens.byId(ctx.params.id!);
        if (!r || r.userId !== ctx.user!.id) return ctx.notFound("ApiToken", ctx.params.id!);
        ctx.state.tokens.delete(r.id);
        ctx.webMessage(200, undefined, {
          response: { responseType: "ObjectReport", uid: r.id, klass: KLASS, errorReports: [] },
        });
      },
      opts,
    );
  },
};
