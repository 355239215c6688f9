/**
 * Sharing, after dhis2-core `SharingController` (identical in 2.41.8.1, 2.42.4.1, 2.43.0) and
 * `AbstractCrudController.setSharing`:
 * - `GET /api/sharing?type=<singular>&id=<uid>`: `{ meta: { allowPublicAccess,
 *   allowExternalAccess }, object: { id, name, displayName, publicAccess, externalAccess, user,
 *   userAccesses, userGroupAccesses } }`; user groups sorted by name; entries whose user or group
 *   no longer exists are left out; an unset public access shows as `rw------` to a user who may
 *   make the type public, else `--------`. A type that is not shareable (its schema has no
 *   persisted `sharing`): 409 "Type X is not supported."; no such object: 404 "Object of type X
 *   with ID Y was not found.".
 * - `POST` / `PUT /api/sharing?type=&id=` with `{ object: {...} }`: 409 for a system default
 *   object and for an invalid access string ("Invalid public access string: X", "... user group
 *   access ...", "... user access ..."); public and external access are ignored when the user may
 *   not set them; data access is stripped on types that are not data-shareable; users and groups
 *   that do not exist are dropped without a word; the owner becomes the caller when there was
 *   none. 200 "Access control set".
 * - `PUT /api/{plural}/{uid}/sharing` with a 2.36+ `sharing` block: 204.
 * Objects keep the 2.36+ block as their `sharing` property (wire shape), so `?fields=sharing`
 * shows the same.
 */
import type { ResourceDef } from "@dhis2w/client";
import type { EmulatorApp, EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import type { MetadataObject } from "../metadata-store.js";
import type { EmulatorUser } from "../users.js";
import { isSuperuser } from "../users.js";
import { HttpError } from "../web-message.js";

/** The 2.36+ sharing block as objects store it. */
interface SharingBlock {
  owner?: string;
  external: boolean;
  public: string | null;
  users: Record<string, { id: string; access: string }>;
  userGroups: Record<string, { id: string; access: string }>;
}

/** `setDataShareable(true)` in the schema descriptors (same list in 2.41-2.43). */
const DATA_SHAREABLE = new Set([
  "aggregateDataExchange",
  "categoryOption",
  "dataSet",
  "program",
  "programStage",
  "relationshipType",
  "sqlView",
  "trackedEntityType",
]);

const ACCESS_RE = /^[r-][w-][r-][w-]----$/;
const validAccess = (a: unknown) =>
  a === null || a === undefined || (typeof a === "string" && ACCESS_RE.test(a));
const noData = (a: string) => `${a.slice(0, 2)}--${a.slice(4)}`;
const refId = (v: unknown) =>
  v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string"
    ? (v as { id: string }).id
    : undefined;

export function isShareable(def: ResourceDef | undefined): def is ResourceDef {
  return !!def && def.properties.sharing?.persisted === true && !!def.endpoint;
}

/** The object's sharing block, defaulted the way a freshly created object has it. */
export function sharingOf(obj: MetadataObject): SharingBlock {
  const s = (obj.sharing ?? {}) as Partial<SharingBlock>;
  const owner = typeof s.owner === "string" ? s.owner : refId(obj.createdBy);
  return {
    ...(owner ? { owner } : {}),
    external: s.external === true,
    public: typeof s.public === "string" ? s.public : null,
    users: { ...(s.users ?? {}) },
    userGroups: { ...(s.userGroups ?? {}) },
  };
}

/** `F_<TYPE>_PUBLIC_ADD` (`Schema.getAuthorityByType(CREATE_PUBLIC)`), or `ALL`. */
function canMakePublic(user: EmulatorUser, def: ResourceDef): boolean {
  const snake = def.singular.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
  return isSuperuser(user) || user.authorities.includes(`F_${snake}_PUBLIC_ADD`);
}

/** Metadata write through the sharing (`DefaultAclService.canUpdate` without the authorities). */
function canManage(user: EmulatorUser, s: SharingBlock): boolean {
  if (isSuperuser(user) || s.owner === user.id) return true;
  const writes = (a: string | null | undefined) => typeof a === "string" && a[1] === "w";
  if (s.public === null || writes(s.public)) return true;
  if (writes(s.users[user.id]?.access)) return true;
  return user.userGroups.some((g) => writes(s.userGroups[g]?.access));
}

function typeFrom(ctx: Ctx): { def: ResourceDef; obj: MetadataObject } {
  const type = ctx.query.get("type") ?? "";
  const id = ctx.query.get("id") ?? "";
  if (!ctx.query.has("type"))
    throw new HttpError(
      400,
      "Required request parameter 'type' for method parameter type String is not present",
    );
  if (!ctx.query.has("id"))
    throw new HttpError(
      400,
      "Required request parameter 'id' for method parameter type String is not present",
    );
  const def = ctx.app.extensions.metadata?.idx.bySingular(type);
  if (!isShareable(def)) throw new HttpError(409, `Type ${type} is not supported.`);
  const obj = ctx.state.metadata.get(def.plural, id);
  if (!obj) throw new HttpError(404, `Object of type ${type} with ID ${id} was not found.`);
  return { def, obj };
}

function getSharing(ctx: Ctx): void {
  const { def, obj } = typeFrom(ctx);
  const user = ctx.user!;
  const s = sharingOf(obj);
  const md = ctx.state.metadata;
  const userName = (id: string) => {
    const u = md.get("users", id);
    return u ? String(u.name ?? `${u.firstName ?? ""} ${u.surname ?? ""}`.trim()) : undefined;
  };
  const groupName = (id: string) => {
    const g = md.get("userGroups", id);
    return g ? String(g.name ?? "") : undefined;
  };
  const entries = (map: SharingBlock["users"], name: (id: string) => string | undefined) =>
    Object.values(map).flatMap((e) => {
      const n = name(e.id);
      return n === undefined ? [] : [{ id: e.id, name: n, displayName: n, access: e.access }];
    });
  const displayName = String(obj.displayName ?? obj.name ?? "");
  const publicAccess = s.public ?? (canMakePublic(user, def) ? "rw------" : "--------");
  const owner = s.owner ? { id: s.owner, name: userName(s.owner) ?? "" } : undefined;
  ctx.json(200, {
    meta: { allowPublicAccess: canMakePublic(user, def), allowExternalAccess: isSuperuser(user) },
    object: {
      id: obj.id,
      name: displayName,
      displayName,
      publicAccess,
      externalAccess: s.external,
      ...(owner ? { user: owner } : {}),
      userGroupAccesses: entries(s.userGroups, groupName).sort((a, b) => a.name.localeCompare(b.name)),
      userAccesses: entries(s.users, userName),
    },
  });
}

type AccessEntry = { id?: unknown; access?: unknown };

async function postSharing(ctx: Ctx): Promise<void> {
  const { def, obj } = typeFrom(ctx);
  const user = ctx.user!;
  if (obj.isDefault === true) {
    throw new HttpError(
      409,
      `Sharing settings of system default metadata object of type ${def.singular} cannot be modified.`,
    );
  }
  const current = sharingOf(obj);
  if (!canManage(user, current)) throw new HttpError(403, "You do not have manage access to this object.");
  const body = await ctx.readJson<{ object?: Record<string, unknown> }>();
  const o = (
    body && typeof body === "object" && body.object && typeof body.object === "object" ? body.object : {}
  ) as {
    publicAccess?: unknown;
    externalAccess?: unknown;
    userAccesses?: AccessEntry[];
    userGroupAccesses?: AccessEntry[];
  };
  if (!validAccess(o.publicAccess))
    throw new HttpError(409, `Invalid public access string: ${String(o.publicAccess)}`);
  const groups = Array.isArray(o.userGroupAccesses) ? o.userGroupAccesses : [];
  const users = Array.isArray(o.userAccesses) ? o.userAccesses : [];
  for (const g of groups)
    if (!validAccess(g.access))
      throw new HttpError(409, `Invalid user group access string: ${String(g.access)}`);
  for (const u of users)
    if (!validAccess(u.access)) throw new HttpError(409, `Invalid user access string: ${String(u.access)}`);
  const data = DATA_SHAREABLE.has(def.singular);
  const fix = (a: unknown) => {
    const s = typeof a === "string" ? a : "--------";
    return data ? s : noData(s);
  };
  const next: SharingBlock = { ...current, users: {}, userGroups: {} };
  if (isSuperuser(user)) next.external = o.externalAccess === true;
  if (canMakePublic(user, def)) next.public = typeof o.publicAccess === "string" ? fix(o.publicAccess) : null;
  else if (next.public !== null && !data) next.public = noData(next.public);
  const md = ctx.state.metadata;
  for (const g of groups) {
    const id = typeof g.id === "string" ? g.id : "";
    if (md.get("userGroups", id)) next.userGroups[id] = { id, access: fix(g.access) };
  }
  for (const u of users) {
    const id = typeof u.id === "string" ? u.id : "";
    if (md.get("users", id)) next.users[id] = { id, access: fix(u.access) };
  }
  if (!next.owner) next.owner = user.id;
  md.put(def.plural, { ...obj, sharing: next, lastUpdated: ctx.state.timestamp() });
  ctx.webMessage(200, "Access control set");
}

/** `PUT /api/{plural}/{uid}/sharing` with the 2.36+ block: 204. */
function putSharingBlock(def: ResourceDef) {
  return async (ctx: Ctx) => {
    const md = ctx.state.metadata;
    const obj = md.get(def.plural, ctx.params.id!);
    if (!obj)
      return ctx.notFound(def.singular.charAt(0).toUpperCase() + def.singular.slice(1), ctx.params.id!);
    if (!canManage(ctx.user!, sharingOf(obj))) {
      throw new HttpError(403, "You don't have the proper permissions to update this object.");
    }
    const body = await ctx.readJson<Partial<SharingBlock>>();
    const block = body && typeof body === "object" ? body : {};
    const all = [
      block.public,
      ...Object.values(block.users ?? {}).map((e) => e?.access),
      ...Object.values(block.userGroups ?? {}).map((e) => e?.access),
    ];
    for (const a of all) if (!validAccess(a)) throw new HttpError(400, `Invalid access string: ${String(a)}`);
    const next = { ...sharingOf(obj), ...block } as SharingBlock;
    md.put(def.plural, { ...obj, sharing: next, lastUpdated: ctx.state.timestamp() });
    ctx.empty(204);
  };
}

/** The sharing module (listed in `src/modules.ts`, after the metadata module). */
export const sharingModule: EmulatorModule = {
  name: "sharing",
  install(app: EmulatorApp) {
    app.get("/api/sharing", getSharing);
    app.post("/api/sharing", postSharing);
    app.put("/api/sharing", postSharing);
    const rt = app.extensions.metadata;
    if (!rt) return;
    for (const def of Object.values(rt.idx.table)) {
      if (isShareable(def) && /^\/api\/[A-Za-z]+$/.test(def.endpoint))
        app.put(`${def.endpoint}/:id/sharing`, putSharingBlock(def));
    }
  },
};
