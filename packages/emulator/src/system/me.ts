import type { EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import { parseFields, renderObject, renderPlain } from "../metadata/fields.js";
import type { JsonObject } from "../metadata/schema-index.js";
import type { EmulatorUser } from "../users.js";
import { isSuperuser } from "../users.js";

const ids = (uids: readonly string[]) => uids.map((id) => ({ id }));

/** The user settings `/api/me` carries, the system defaults overlaid by the user's own. */
function userSettings(ctx: Ctx, user: EmulatorUser): Record<string, unknown> {
  const s = ctx.state.settings;
  return {
    keyUiLocale: s.get("keyUiLocale") ?? "en",
    keyDbLocale: s.get("keyDbLocale") ?? "en",
    keyAnalysisDisplayProperty: s.get("keyAnalysisDisplayProperty") ?? "name",
    keyStyle: s.get("keyStyle") ?? "light_blue/light_blue.css",
    keyMessageEmailNotification: false,
    keyMessageSmsNotification: false,
    keyTrackerDashboardLayout: null,
    ...user.settings,
  };
}

/**
 * `/api/me` in the 2.41+ shape (`MeController`): the user object with `organisationUnits` as
 * references, `programs` and `dataSets` as bare UIDs, `authorities`, `settings`, `userRoles`.
 */
export function meBody(ctx: Ctx, user: EmulatorUser): Record<string, unknown> {
  const name = `${user.firstName} ${user.surname}`.trim();
  // DHIS2's ObjectMapper omits null members (`JsonInclude.Include.NON_NULL` in dhis2-core
  // JacksonObjectMapperConfig), so a user without an email has no `email` key at all.
  return withoutNulls({
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    surname: user.surname,
    name,
    displayName: name,
    email: user.email ?? null,
    emailVerified: false,
    created: user.created,
    lastUpdated: user.lastUpdated,
    externalAuth: false,
    twoFactorEnabled: false,
    twoFactorType: "NOT_ENABLED",
    disabled: user.disabled ?? false,
    openId: user.openId ?? null,
    organisationUnits: ids(user.organisationUnits),
    dataViewOrganisationUnits: ids(user.dataViewOrganisationUnits),
    teiSearchOrganisationUnits: ids(user.teiSearchOrganisationUnits),
    userRoles: user.userRoles.map((r) => ({ id: r.id })),
    userGroups: ids(user.userGroups),
    translations: [],
    attributeValues: [],
    favorites: [],
    access: {
      manage: true,
      externalize: true,
      write: true,
      read: true,
      update: true,
      delete: true,
    },
    authorities: [...user.authorities],
    settings: userSettings(ctx, user),
    programs: [...user.programs],
    dataSets: [...user.dataSets],
    patTokens: ctx.state.tokens.ofUser(user.id).map((t) => ({ id: t.id })),
    impersonation: null,
  });
}

/** `MeDto` members that hold metadata objects (the user's `User` associations), by resource plural. */
const ME_REFERENCES: Readonly<Record<string, string>> = {
  organisationUnits: "organisationUnits",
  dataViewOrganisationUnits: "organisationUnits",
  teiSearchOrganisationUnits: "organisationUnits",
  userRoles: "userRoles",
  userGroups: "userGroups",
};

/**
 * `/api/me?fields=...`: `MeController#getCurrentUser` runs `MeDto` through the field filter
 * (`fieldFilterService.toObjectNodes(of(meDto, fields))`, default `*`), so `fields=id` answers
 * `{ id }`. Sub-fields of the user's org units, roles and groups are read from the store, as the
 * real `MeDto` holds those objects whole.
 */
function meFiltered(ctx: Ctx, body: Record<string, unknown>): Record<string, unknown> {
  const expr = ctx.query
    .getAll("fields")
    .filter((f) => f.trim() !== "")
    .join(",");
  if (expr === "") return body;
  const rt = ctx.app.extensions.metadata;
  const read = rt?.read(ctx);
  return renderPlain(body as JsonObject, parseFields(expr), (key, value, children) => {
    const plural = ME_REFERENCES[key];
    const def = plural ? rt?.idx.byPlural(plural) : undefined;
    if (!read || !def || !Array.isArray(value)) return undefined;
    return value.map((ref) => {
      const id = (ref as { id?: unknown }).id;
      const obj = typeof id === "string" ? ctx.state.metadata.get(def.plural, id) : undefined;
      return obj
        ? renderObject(read, def, obj as JsonObject, children)
        : renderPlain(ref as JsonObject, children);
    });
  });
}

function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

/** `/api/me` and its sub-resources, `/api/userSettings`. */
export const meModule: EmulatorModule = {
  name: "me",
  install(app) {
    app.get("/api/me", (ctx) => ctx.json(200, meFiltered(ctx, meBody(ctx, ctx.user!))));

    app.get("/api/me/authorization", (ctx) => ctx.json(200, ctx.user!.authorities));

    // A bare JSON boolean (TwoFactorController#isEnabled, 2.41-2.43): whether the current user
    // has 2FA on. The emulator has no 2FA enrolment, so it is always false.
    app.get("/api/2fa/enabled", (ctx) => ctx.json(200, false));

    // A bare JSON boolean, one of the endpoints QUIRKS mentions.
    app.get("/api/me/authorization/:authority", (ctx) => {
      const user = ctx.user!;
      ctx.json(200, isSuperuser(user) || user.authorities.includes(ctx.params.authority!));
    });

    app.get("/api/me/settings", (ctx) => ctx.json(200, userSettings(ctx, ctx.user!)));
    app.get("/api/userSettings", (ctx) => ctx.json(200, userSettings(ctx, ctx.user!)));
    app.get("/api/userSettings/:key", (ctx) => {
      const key = ctx.params.key!;
      const settings = userSettings(ctx, ctx.user!);
      ctx.json(200, key in settings ? { [key]: settings[key] } : {});
    });
    app.post("/api/userSettings/:key", async (ctx) => {
      const key = ctx.params.key!;
      const value = ctx.query.get("value") ?? (await ctx.bodyText());
      ctx.user!.settings[key] = value;
      ctx.webMessage(200, `User setting saved`);
    });
  },
};
