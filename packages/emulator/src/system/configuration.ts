/**
 * `/api/configuration`: the part of DHIS2's `Configuration` the emulator keeps, chiefly the CORS
 * allowlist the CORS filter reads on every request (`cors.ts`). dhis2-core
 * `ConfigurationController` (2.41-2.43): `GET /api/configuration`, `GET` and `POST`
 * `/api/configuration/corsWhitelist` (alias `/corsAllowlist`); the POST takes a JSON array
 * (`consumes = APPLICATION_JSON_VALUE`), replaces the whole list and answers 204; it needs
 * `F_SYSTEM_SETTING` (or `ALL`). `Configuration` serialises the list twice, as `corsWhitelist`
 * and its alias `corsAllowlist`.
 */
import type { EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";

function requireSystemSetting(ctx: Ctx): void {
  const authorities = ctx.user?.authorities ?? [];
  if (authorities.includes("ALL") || authorities.includes("F_SYSTEM_SETTING")) return;
  throw new HttpError(403, "Access is denied, requires one Authority from [F_SYSTEM_SETTING]");
}

/** Reads the new allowlist: a JSON array of origin strings, anything else a 400 saying what. */
async function readAllowlist(ctx: Ctx): Promise<string[]> {
  const type = ctx.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new HttpError(415, `Content-Type '${type || "application/octet-stream"}' is not supported`);
  }
  const body = await ctx.readJson<unknown>();
  if (!Array.isArray(body)) {
    const got = body === null ? "null" : typeof body === "object" ? "an object" : JSON.stringify(body);
    throw new HttpError(
      400,
      `JSON parse error: the CORS allowlist must be a JSON array of origins, got ${got}`,
    );
  }
  body.forEach((entry, i) => {
    if (typeof entry !== "string") {
      throw new HttpError(
        400,
        `JSON parse error: entry ${i} of the CORS allowlist is ${JSON.stringify(entry)}, not a string`,
      );
    }
  });
  return body as string[];
}

/** The configuration module (one of the core modules). */
export const configurationModule: EmulatorModule = {
  name: "configuration",
  install(app) {
    const state = app.state;
    app.get("/api/configuration", (ctx) =>
      ctx.json(200, {
        systemId: state.systemId,
        corsWhitelist: [...state.corsWhitelist],
        corsAllowlist: [...state.corsWhitelist],
      }),
    );
    for (const path of ["/api/configuration/corsWhitelist", "/api/configuration/corsAllowlist"]) {
      app.get(path, (ctx) => ctx.json(200, [...state.corsWhitelist]));
      app.post(path, async (ctx) => {
        requireSystemSetting(ctx);
        const list = await readAllowlist(ctx);
        state.corsWhitelist.clear();
        for (const origin of list) state.corsWhitelist.add(origin);
        ctx.empty(204);
      });
    }
  },
};
