/**
 * `/api/dataStore` and `/api/userDataStore` as dhis2-core's `DatastoreController` and
 * `UserDatastoreController` (with `DefaultDatastoreService` / `DefaultUserDatastoreService`)
 * answer them in 2.41-2.43; the code paths are the same on the three branches. Messages, status
 * codes and error codes (E1003 bad request, E1004 conflict, E1005 not found) are DHIS2's:
 *
 * | request | answer |
 * |---|---|
 * | `POST /{ns}/{key}` | 201 "Key created: 'k'" (user store: "Key 'k' in namespace 'ns' created."); 409 E1004 "Key 'k' already exists in namespace 'ns'"; 400 E1003 "Invalid JSON value for key 'k'" |
 * | `PUT /{ns}/{key}` | 200 "Key updated: 'k'"; a missing key is created (201, as POST) |
 * | `GET /{ns}/{key}` | the value (jsonb text); 404 E1005 "Key 'k' not found in namespace 'ns'" |
 * | `GET /{ns}`, `GET /{ns}/keys` | the keys; 404 E1005 "Namespace not found: 'ns'" |
 * | `GET /{ns}?fields=` | the query API (see `query.ts`) |
 * | `DELETE /{ns}/{key}` | 200 "Key 'k' deleted from namespace 'ns'" (user store: "... from the namespace 'ns'.") |
 * | `DELETE /{ns}` | 200 "Namespace deleted: 'ns'"; 404 as above |
 * | `GET /{ns}/{key}/metaData` | the entry without its value (shared store only) |
 *
 * Writes take `Content-Type: application/json` only (415 otherwise). The user store is keyed by
 * the authenticated user; `?username=` addresses another user's store for superusers only (409
 * otherwise, `UserDatastoreController.getUser`). Namespace protection: `protection.ts`.
 */
import type { EmulatorApp, EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import { generateUid } from "../uid.js";
import type { EmulatorUser } from "../users.js";
import { isSuperuser } from "../users.js";
import { HttpError } from "../web-message.js";
import { type Json, jsonbText } from "./jsonb.js";
import { accessOf, hasAuthority, protectionsFor } from "./protection.js";
import { parseQuery, runQuery } from "./query.js";
import { DatastoreState, type EntryStore, type StoredEntry } from "./store.js";

declare module "../app.js" {
  interface EmulatorExtensions {
    /** The data store and the user data stores (tests can seed and inspect them). */
    datastore?: DatastoreState;
  }
}

const JSON_TYPE = "application/json;charset=UTF-8";

/**
 * Spring Security's `StrictHttpFirewall` refuses these in the request URI before any controller
 * runs (encoded slash, backslash, semicolon, encoded percent or period, NUL).
 */
const FIREWALL = [/%2f/i, /%5c/i, /\\/, /;/, /%3b/i, /%25/, /%2e/i, /%00/];

function userOf(ctx: Ctx): EmulatorUser {
  if (!ctx.user) throw new HttpError(401, "Unauthorized");
  return ctx.user;
}

/** `UserDatastoreController.getUser`: the caller, or with `?username=` (superusers) another user. */
function targetUser(ctx: Ctx): EmulatorUser {
  const me = userOf(ctx);
  const username = ctx.query.get("username");
  if (username === null || username.trim() === "") return me;
  if (!isSuperuser(me)) {
    throw new HttpError(
      409,
      "Only superusers can read or write other users data using the `username` parameter.",
    );
  }
  const other = ctx.state.users.byUsername(username);
  if (!other) throw new HttpError(409, `No user with username ${username} exists.`);
  return other;
}

/** The body of a write: JSON only (`consumes = APPLICATION_JSON_VALUE`), checked as DHIS2 does. */
async function readValue(ctx: Ctx, key: string, required: boolean): Promise<Json> {
  const type = ctx.header("content-type") ?? "application/octet-stream";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, `Content-Type '${type}' is not supported`);
  }
  const text = await ctx.bodyText();
  if (text === "") {
    if (required) throw new HttpError(400, "Required request body is missing");
    return null;
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new HttpError(400, `Invalid JSON value for key '${key}'`, { errorCode: "E1003" });
  }
}

const keyNotFound = (ns: string, key: string) =>
  new HttpError(404, `Key '${key}' not found in namespace '${ns}'`, { errorCode: "E1005" });
const namespaceNotFound = (ns: string) =>
  new HttpError(404, `Namespace not found: '${ns}'`, { errorCode: "E1005" });
const protectedNamespace = (ns: string) =>
  new HttpError(403, `Namespace '${ns}' is protected, access denied`);

function userRef(ctx: Ctx, id: string): Record<string, unknown> | undefined {
  const u = ctx.state.users.byId(id);
  if (!u) return undefined;
  const name = `${u.firstName} ${u.surname}`.trim();
  return { id: u.id, name, displayName: name, username: u.username };
}

/** What the routes of one store (shared or per user) need. */
interface StoreBinding {
  readonly base: string;
  /** The store a request reads and writes. */
  store(ctx: Ctx): EntryStore;
  /** Namespace protection (shared store only). */
  guard(ctx: Ctx, ns: string, kind: "reads" | "writes"): "allowed" | "hidden";
  readonly created: (ns: string, key: string) => string;
  readonly deleted: (ns: string, key: string) => string;
}

function installStore(app: EmulatorApp, b: StoreBinding): void {
  const read = (ctx: Ctx, ns: string) => b.guard(ctx, ns, "reads") === "allowed";

  const create = async (ctx: Ctx, ns: string, key: string, value: Json) => {
    const store = b.store(ctx);
    if (read(ctx, ns) && store.get(ns, key)) {
      throw new HttpError(409, `Key '${key}' already exists in namespace '${ns}'`, { errorCode: "E1004" });
    }
    if (b.guard(ctx, ns, "writes") === "allowed") {
      const now = ctx.state.timestamp();
      const user = userOf(ctx).id;
      store.put({
        id: generateUid(),
        namespace: ns,
        key,
        value,
        encrypted: ctx.query.get("encrypt") === "true",
        created: now,
        lastUpdated: now,
        createdBy: user,
        lastUpdatedBy: user,
      });
    } // HIDDEN: the write is silently skipped, and still answered as done
    ctx.webMessage(201, b.created(ns, key));
  };

  const keys = (ctx: Ctx) => {
    const ns = ctx.params.namespace as string;
    const store = b.store(ctx);
    if (!read(ctx, ns) || !store.has(ns)) throw namespaceNotFound(ns);
    const since = ctx.query.get("lastUpdated");
    const entries = store.entries(ns).filter((e) => since === null || e.lastUpdated >= since);
    ctx.json(
      200,
      entries.map((e) => e.key),
      { "Cache-Control": "no-store" },
    );
  };

  const existing = (ctx: Ctx): StoredEntry => {
    const ns = ctx.params.namespace as string;
    const key = ctx.params.key as string;
    const entry = read(ctx, ns) ? b.store(ctx).get(ns, key) : undefined;
    if (!entry) throw keyNotFound(ns, key);
    return entry;
  };

  app.get(`${b.base}/:namespace/keys`, keys);

  app.get(`${b.base}/:namespace`, (ctx) => {
    if (!ctx.query.has("fields")) return keys(ctx);
    const ns = ctx.params.namespace as string;
    const query = parseQuery(ctx.query);
    if (b.guard(ctx, ns, "reads") === "hidden") {
      // The service returns before the answer's opening is written; only the closing brace is.
      return ctx.text(200, query.headless ? "" : "}", JSON_TYPE);
    }
    const entries = b
      .store(ctx)
      .entries(ns)
      .map((e) => ({ key: e.key, value: e.value }));
    ctx.text(200, runQuery(entries, query), JSON_TYPE, { "Cache-Control": "no-store" });
  });

  app.delete(`${b.base}/:namespace`, (ctx) => {
    const ns = ctx.params.namespace as string;
    const store = b.store(ctx);
    if (!read(ctx, ns) || !store.has(ns)) throw namespaceNotFound(ns);
    if (b.guard(ctx, ns, "writes") === "allowed") store.deleteNamespace(ns);
    ctx.webMessage(200, `Namespace deleted: '${ns}'`);
  });

  app.get(`${b.base}/:namespace/:key`, (ctx) => ctx.text(200, jsonbText(existing(ctx).value), JSON_TYPE));

  app.post(`${b.base}/:namespace/:key`, async (ctx) => {
    const ns = ctx.params.namespace as string;
    const key = ctx.params.key as string;
    b.store(ctx); // resolves ?username= first, as the controller does
    await create(ctx, ns, key, await readValue(ctx, key, true));
  });

  app.put(`${b.base}/:namespace/:key`, async (ctx) => {
    const ns = ctx.params.namespace as string;
    const key = ctx.params.key as string;
    const store = b.store(ctx);
    const value = await readValue(ctx, key, false);
    const entry = read(ctx, ns) ? store.get(ns, key) : undefined;
    if (!entry) return create(ctx, ns, key, value);
    if (b.guard(ctx, ns, "writes") === "allowed") {
      entry.value = value;
      entry.lastUpdated = ctx.state.timestamp();
      entry.lastUpdatedBy = userOf(ctx).id;
    }
    ctx.webMessage(200, `Key updated: '${key}'`);
  });

  app.delete(`${b.base}/:namespace/:key`, (ctx) => {
    const entry = existing(ctx);
    if (b.guard(ctx, entry.namespace, "writes") === "allowed")
      b.store(ctx).delete(entry.namespace, entry.key);
    ctx.webMessage(200, b.deleted(entry.namespace, entry.key));
  });
}

/** `GET /api/dataStore/{ns}/{key}/metaData`: the entry as `DatastoreEntry` serialises without its value. */
function metaData(ctx: Ctx, entry: StoredEntry): Record<string, unknown> {
  const user = userOf(ctx);
  const owner = entry.createdBy === user.id;
  const superuser = isSuperuser(user);
  const createdBy = userRef(ctx, entry.createdBy);
  const lastUpdatedBy = userRef(ctx, entry.lastUpdatedBy);
  return {
    id: entry.id,
    created: entry.created,
    lastUpdated: entry.lastUpdated,
    ...(lastUpdatedBy ? { lastUpdatedBy } : {}),
    ...(createdBy ? { createdBy, user: createdBy } : {}),
    translations: [],
    favorites: [],
    favorite: false,
    sharing: { owner: entry.createdBy, external: false, users: {}, userGroups: {}, public: "rw------" },
    access: {
      manage: superuser || owner,
      externalize: superuser,
      write: true,
      read: true,
      update: true,
      delete: true,
    },
    attributeValues: [],
    namespace: entry.namespace,
    key: entry.key,
  };
}

/** The data store module: both stores, the firewall check on their paths, protections. */
export const datastoreModule: EmulatorModule = {
  name: "datastore",
  install(app) {
    const state = new DatastoreState();
    app.extensions.datastore = state;
    const protections = protectionsFor(app.state.behaviour.dataStore.protectedNamespaces);

    app.before((ctx) => {
      if (!/^\/api\/(\d+\/)?(userDataStore|dataStore)(\/|$)/.test(ctx.rawPath)) return false;
      // The path as the WHATWG URL parser kept it (percent-encodings stay as sent).
      const path = new URL(ctx.request.url).pathname;
      if (FIREWALL.some((re) => re.test(path))) {
        ctx.tomcatError(400);
        return true;
      }
      // 2.41 matches `/{ns}/{key}.*` (suffix pattern matching on any extension) and then finds no
      // media type for an unregistered one (`ContentNegotiationConfig`, `WebMvcConfig`): 406.
      const last = decodeURIComponent(ctx.rawPath.slice(ctx.rawPath.lastIndexOf("/") + 1));
      if (!app.state.behaviour.dataStore.dottedNames && ctx.ext === undefined && last.includes(".")) {
        ctx.webMessage(406, "Could not find acceptable representation");
        return true;
      }
      return false;
    });

    installStore(app, {
      base: "/api/dataStore",
      store: () => state.shared,
      guard(ctx, ns, kind) {
        const access = accessOf(protections.get(ns), userOf(ctx), kind);
        if (access === "restricted") throw protectedNamespace(ns);
        return access;
      },
      created: (_ns, key) => `Key created: '${key}'`,
      deleted: (ns, key) => `Key '${key}' deleted from namespace '${ns}'`,
    });
    installStore(app, {
      base: "/api/userDataStore",
      store: (ctx) => state.forUser(targetUser(ctx).id),
      guard: () => "allowed",
      created: (ns, key) => `Key '${key}' in namespace '${ns}' created.`,
      deleted: (ns, key) => `Key '${key}' deleted from the namespace '${ns}'.`,
    });

    app.get("/api/dataStore", (ctx) => {
      const user = userOf(ctx);
      // `isNamespaceVisible`: only HIDDEN reads drop a namespace from the list.
      const visible = state.shared
        .namespaces()
        .filter((ns) => accessOf(protections.get(ns), user, "reads") !== "hidden");
      ctx.json(200, visible, { "Cache-Control": "no-store" });
    });
    app.get("/api/userDataStore", (ctx) => {
      ctx.json(200, state.forUser(targetUser(ctx).id).namespaces(), { "Cache-Control": "no-store" });
    });

    app.get("/api/dataStore/:namespace/:key/metaData", (ctx) => {
      const ns = ctx.params.namespace as string;
      const key = ctx.params.key as string;
      const readable = accessOf(protections.get(ns), userOf(ctx), "reads");
      if (readable === "restricted") throw protectedNamespace(ns);
      const entry = readable === "allowed" ? state.shared.get(ns, key) : undefined;
      if (!entry) throw keyNotFound(ns, key);
      ctx.json(200, metaData(ctx, entry));
    });

    if (app.state.behaviour.dataStore.protectionsEndpoint) {
      // 2.42+ lists the protections (`DatastoreController.getNamespaceProtections`).
      app.get("/api/dataStore/protections", (ctx) => {
        const user = userOf(ctx);
        if (!hasAuthority(user, ["M_dhis-web-app-management"])) {
          throw new HttpError(
            403,
            "Access is denied, requires one Authority from [M_dhis-web-app-management]",
          );
        }
        const one = ctx.query.get("namespace");
        const all = [...protections.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : 1));
        const render = (p: (typeof all)[number]) => ({
          namespace: p.namespace,
          reads: p.reads,
          writes: p.writes,
          readAuthorities: p.authorities,
          writeAuthorities: p.authorities,
        });
        if (one !== null) {
          const p = protections.get(one);
          return p ? ctx.json(200, render(p)) : ctx.empty(200);
        }
        ctx.json(200, all.map(render));
      });
    }
  },
};
