/**
 * `/api/systemSettings`: 2.41's `SystemSettingController` and 2.42/2.43's
 * `SystemSettingsController` (with `DefaultSystemSettingsService.putAll` / `LazySettings`). What a
 * server stored lives in `state.settings` (DHIS2's `systemsetting` table), already typed as `GET`
 * renders it; defaults come from `settings-keys.ts`.
 *
 * | | 2.41 | 2.42, 2.43 |
 * |---|---|---|
 * | `GET /api/systemSettings` | non-confidential keys with a value or default | every key with a default and every stored key, less the confidential ones; `?key=` lists exactly those keys, confidential ones included |
 * | `GET /{key}`, unknown key | 404 E1005 "Setting does not exist or is marked as confidential" | 404 E1005 "Setting does not exist: k" |
 * | `GET /{key}`, confidential, not superuser | the same 404 | 403 E1006 "Setting is marked as confidential" |
 * | `POST /{key}` value from | `?value=`, else the body as text (any of JSON, text, HTML content types; a JSON body is taken verbatim) | `?value=`; a `text/plain` body; a JSON body parsed (a JSON string unquoted; objects and arrays 409) |
 * | `POST /{key}`, unknown key | 409 "Key is not supported: k" | 404 E1005 "Setting does not exist: k" |
 * | `POST /{key}`, bad value | 400 from the Java parser (`For input string: "x"`) | 400 E1003 "Not a valid value for setting k: x" |
 * | `POST /{key}`, no value | 409 "Value must be specified as query param or as payload" | 415 (no handler consumes it) |
 * | `POST /{key}` empty value | stored as "" | the key is reset to its default |
 * | `DELETE /{key}`, unknown key | 409 "Key is not supported: k" | 404 E1005 "Setting does not exist: k" |
 *
 * Writes need `ALL` or `F_SYSTEM_SETTING` (403 otherwise).
 */
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import { isSuperuser } from "../users.js";
import { HttpError } from "../web-message.js";
import { type SettingDef, type SettingJson, settingKeys } from "./settings-keys.js";

const NO_STORE = { "Cache-Control": "no-cache, no-store, must-revalidate" };
const EPOCH = "1970-01-01T00:00:00.000";

/** 2.41's `SettingKey` controller (`systemSettings.model` of the version's row), not 2.42+'s `LazySettings`. */
function legacy(ctx: Ctx): boolean {
  return ctx.state.behaviour.systemSettings.model === "SettingKey";
}

function requireWriter(ctx: Ctx): void {
  const user = ctx.user;
  if (user && (isSuperuser(user) || user.authorities.includes("F_SYSTEM_SETTING"))) return;
  throw new HttpError(
    403,
    legacy(ctx) ? "Access is denied" : "Access is denied, requires one Authority from [F_SYSTEM_SETTING]",
  );
}

/** A date setting's text (`2024-01-31T10:00`, epoch millis, or empty) in DHIS2's wire form. */
function dateText(raw: string): string {
  if (raw === "") return EPOCH;
  if (/^\d+$/.test(raw)) return new Date(Number(raw)).toISOString().replace("Z", "");
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(\.\d{1,9})?)?$/.exec(raw);
  if (!m) throw new Error(`Text '${raw}' could not be parsed`);
  return `${m[1]}${(m[2] ?? ":00").slice(0, 3)}.${((m[3] ?? ".").slice(1) + "000").slice(0, 3)}`;
}

/**
 * Reads a setting's text into its typed value, or throws what the version's parser throws
 * (`Error`: the value is refused).
 */
function typedValue(def: SettingDef | undefined, raw: string, isLegacy: boolean): SettingJson {
  const type = def?.type ?? "string";
  switch (type) {
    case "boolean":
      if (isLegacy) return raw.toLowerCase() === "true"; // Boolean.valueOf
      if (raw.toLowerCase() !== "true" && raw.toLowerCase() !== "false")
        throw new Error("Boolean must be either true or false");
      return raw.toLowerCase() === "true";
    case "int":
    case "long": {
      if (!/^[-+]?\d+$/.test(raw) || (type === "int" && Math.abs(Number(raw)) > 2 ** 31 - 1)) {
        throw new Error(`For input string: "${raw}"`);
      }
      return Number(raw);
    }
    case "double": {
      const n = Number(raw.trim());
      if (raw.trim() === "" || Number.isNaN(n)) throw new Error(`For input string: "${raw}"`);
      return n;
    }
    case "date":
      return dateText(raw);
    case "enum": {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(raw)) throw new Error(`No enum constant ${raw}`);
      const name = raw.toUpperCase();
      // DisplayProperty prints its display name on 2.42+ (`toString`), its constant name on 2.41.
      if (!isLegacy && def?.key === "keyAnalysisDisplayProperty")
        return name === "SHORTNAME" ? "shortName" : "name";
      return name;
    }
    default:
      return raw;
  }
}

/** The value `GET` shows for a key: stored, else the default (`null`: none, 2.41 only). */
function current(ctx: Ctx, key: string): SettingJson | undefined {
  if (ctx.state.settings.has(key)) return ctx.state.settings.get(key) as SettingJson;
  return settingKeys(ctx.state.version).get(key)?.default;
}

/** Stores one setting the way the version's write path does; returns the value text it reports. */
function put(ctx: Ctx, key: string, raw: string): string {
  const isLegacy = legacy(ctx);
  const def = settingKeys(ctx.state.version).get(key);
  if (!isLegacy && raw === "") {
    ctx.state.settings.delete(key); // putAll: an empty value deletes, i.e. back to the default
    return raw;
  }
  let value: SettingJson;
  try {
    value = typedValue(def, raw, isLegacy);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (isLegacy) throw new HttpError(400, message);
    throw new HttpError(400, `Not a valid value for setting ${key}: ${raw}`, { errorCode: "E1003" });
  }
  ctx.state.settings.set(key, value);
  // 2.41 reports the parsed value (`Serializable.toString()`), 2.42+ the text it was given.
  if (!isLegacy) return raw;
  return typeof value === "number" && def?.type === "double" && Number.isInteger(value)
    ? `${value}.0`
    : String(value);
}

function unknownKey(ctx: Ctx, keys: readonly string[]): HttpError {
  if (legacy(ctx)) {
    return new HttpError(
      409,
      keys.length > 1 ? `Key(s) is not supported: ${keys.join(", ")}` : `Key is not supported: ${keys[0]}`,
    );
  }
  return new HttpError(404, `Setting does not exist: ${keys.join(",")}`, { errorCode: "E1005" });
}

/** The value of a write to one key: `?value=`, else the body, as each version reads it. */
async function writtenValue(ctx: Ctx): Promise<string> {
  const fromQuery = ctx.query.get("value");
  if (fromQuery !== null) return fromQuery;
  const type = ctx.header("content-type") ?? "";
  const text = await ctx.bodyText();
  if (legacy(ctx)) {
    if (!/^(application\/json|text\/plain|text\/html)\b/i.test(type)) {
      throw new HttpError(415, `Content type '${type || "application/octet-stream"}' not supported`);
    }
    if (text === "") throw new HttpError(409, "Value must be specified as query param or as payload");
    return text;
  }
  if (/^text\/plain\b/i.test(type)) return text;
  if (/^application\/json\b/i.test(type)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new HttpError(400, `JSON parse error: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (parsed !== null && typeof parsed === "object") {
      throw new HttpError(409, `Value must be a simple JSON value but was: ${JSON.stringify(parsed)}`, {
        errorCode: "E1004",
      });
    }
    return typeof parsed === "string" ? parsed : JSON.stringify(parsed);
  }
  throw new HttpError(415, `Content-Type '${type || "application/octet-stream"}' is not supported`);
}

/** Installs the `/api/systemSettings` routes (called by the system module). */
export function installSystemSettings(app: EmulatorApp): void {
  app.get("/api/systemSettings", (ctx) => {
    const known = settingKeys(ctx.state.version);
    const wanted = ctx.query.getAll("key").flatMap((k) => k.split(","));
    const out: Record<string, SettingJson> = {};
    if (legacy(ctx)) {
      const keys = (wanted.length > 0 ? wanted : [...known.keys()]).filter(
        (k) => known.has(k) && !known.get(k)?.confidential,
      );
      for (const k of keys) {
        const v = current(ctx, k);
        if (v !== null && v !== undefined) out[k] = v;
      }
      if (Object.keys(out).length === 0) {
        throw new HttpError(404, "Setting does not exist or is marked as confidential", {
          errorCode: "E1005",
        });
      }
    } else if (wanted.length > 0) {
      // `toJson(true, keys)`: exactly the keys asked for, confidential ones too; unknown ones "".
      for (const k of wanted) out[k] = current(ctx, k) ?? "";
    } else {
      for (const k of new Set([...known.keys(), ...ctx.state.settings.keys()])) {
        if (!known.get(k)?.confidential) out[k] = current(ctx, k) ?? "";
      }
    }
    ctx.json(200, out, NO_STORE);
  });

  app.get("/api/systemSettings/:key", (ctx) => {
    const key = ctx.params.key as string;
    const def = settingKeys(ctx.state.version).get(key);
    const superuser = ctx.user !== undefined && isSuperuser(ctx.user);
    if (legacy(ctx)) {
      if (!def || (def.confidential && !superuser)) {
        throw new HttpError(404, "Setting does not exist or is marked as confidential", {
          errorCode: "E1005",
        });
      }
    } else {
      if (!def) throw new HttpError(404, `Setting does not exist: ${key}`, { errorCode: "E1005" });
      if (def.confidential && !superuser) {
        throw new HttpError(403, "Setting is marked as confidential", { errorCode: "E1006" });
      }
    }
    const value = current(ctx, key) ?? "";
    const accept = ctx.header("accept") ?? "";
    if (/text\/plain/i.test(accept) && !/json/i.test(accept)) {
      return ctx.text(200, typeof value === "string" ? value : JSON.stringify(value), undefined, NO_STORE);
    }
    ctx.json(200, { [key]: value ?? "" }, NO_STORE);
  });

  app.post("/api/systemSettings", async (ctx) => {
    requireWriter(ctx);
    const body = await ctx.readJson<unknown>();
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new HttpError(400, "JSON parse error: expected an object of setting keys and values");
    }
    const entries = Object.entries(body as Record<string, unknown>);
    const known = settingKeys(ctx.state.version);
    const unknown = entries.map(([k]) => k).filter((k) => !known.has(k));
    if (unknown.length > 0) throw unknownKey(ctx, unknown);
    for (const [k, v] of entries) {
      if (v !== null && typeof v === "object") {
        throw new HttpError(
          400,
          `JSON parse error: Cannot deserialize value of type \`java.lang.String\` from Object value (key ${k})`,
        );
      }
      put(ctx, k, v === null ? "" : String(v));
    }
    ctx.webMessage(200, "System settings imported");
  });

  app.post("/api/systemSettings/:key", async (ctx) => {
    requireWriter(ctx);
    const key = ctx.params.key as string;
    const raw = await writtenValue(ctx);
    if (!settingKeys(ctx.state.version).has(key)) throw unknownKey(ctx, [key]);
    const shown = put(ctx, key, raw);
    ctx.webMessage(200, `System setting '${key}' set to value '${shown}'.`);
  });

  app.delete("/api/systemSettings/:key", (ctx) => {
    requireWriter(ctx);
    const key = ctx.params.key as string;
    if (!settingKeys(ctx.state.version).has(key)) throw unknownKey(ctx, [key]);
    ctx.state.settings.delete(key);
    ctx.empty(204);
  });

  app.delete("/api/systemSettings", (ctx) => {
    requireWriter(ctx);
    const keys = ctx.query.getAll("key");
    if (keys.length === 0 || legacy(ctx))
      throw new HttpError(405, "Request method 'DELETE' is not supported");
    for (const k of keys.flatMap((k) => k.split(","))) ctx.state.settings.delete(k);
    ctx.empty(204);
  });
}
