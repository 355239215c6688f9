/**
 * Reading a `/api/schemas` document: from the shared snapshot files
 * (`{ version_key, raw_version, schemas }`), from the plain `{ schemas }` a live server answers, or
 * live from a server. Every shape check names the file/URL and the JSON path that is wrong.
 */
import { readFile } from "node:fs/promises";

/** One property of a schema descriptor, as DHIS2 reports it. */
export interface SchemaProperty {
  readonly name: string;
  readonly fieldName?: string | null;
  readonly propertyType: string;
  readonly klass?: string | null;
  readonly itemKlass?: string | null;
  readonly itemPropertyType?: string | null;
  readonly collection?: boolean | null;
  readonly collectionName?: string | null;
  readonly constants?: readonly string[] | null;
  readonly required?: boolean | null;
  readonly writable?: boolean | null;
  readonly readable?: boolean | null;
  readonly persisted?: boolean | null;
  readonly owner?: boolean | null;
  readonly unique?: boolean | null;
  readonly min?: number | null;
  readonly max?: number | null;
}

/** One schema descriptor (`/api/schemas` entry). */
export interface SchemaDescriptor {
  readonly name: string;
  readonly singular?: string | null;
  readonly plural: string;
  readonly klass: string;
  readonly apiEndpoint?: string | null;
  readonly relativeApiEndpoint?: string | null;
  readonly metadata?: boolean | null;
  readonly persisted?: boolean | null;
  readonly properties: readonly SchemaProperty[];
}

/** A parsed schemas document with the server version it came from. */
export interface SchemaDocument {
  /** "v42". */
  readonly versionKey: string;
  /** "2.42.4.1". */
  readonly rawVersion: string;
  readonly schemas: readonly SchemaDescriptor[];
}

/** Bad input: the message says what is wrong and where. */
export class SchemaInputError extends Error {
  override readonly name = "SchemaInputError" as const;
}

/**
 * Turns a server version string into the generated module key.
 *
 * @example
 * versionKeyOf("2.42.4.1"); // "v42"
 * versionKeyOf("2.41-SNAPSHOT"); // "v41"
 */
export function versionKeyOf(rawVersion: string): string {
  const m = /^2\.(\d+)/.exec(rawVersion.trim());
  if (!m) throw new SchemaInputError(`cannot read a DHIS2 version from "${rawVersion}" (expected "2.NN...")`);
  return `v${m[1]}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function checkString(o: Record<string, unknown>, key: string, where: string, optional = false): void {
  const v = o[key];
  if (optional && (v === undefined || v === null)) return;
  if (typeof v !== "string" || v === "") {
    throw new SchemaInputError(`${where}.${key}: expected a non-empty string, got ${JSON.stringify(v)}`);
  }
}

/**
 * Validates the shape of a `/api/schemas` answer (either form) and returns a {@link SchemaDocument}.
 * `rawVersion` is needed when the document does not carry one (the plain server answer).
 *
 * @example
 * const doc = parseSchemaDocument(JSON.parse(text), "v42.json");
 */
export function parseSchemaDocument(raw: unknown, source: string, rawVersion?: string): SchemaDocument {
  if (!isRecord(raw)) throw new SchemaInputError(`${source}: expected a JSON object with "schemas"`);
  const schemas = raw.schemas;
  if (!Array.isArray(schemas)) throw new SchemaInputError(`${source}: "schemas" must be an array`);
  const docVersion = typeof raw.raw_version === "string" ? raw.raw_version : undefined;
  const version = rawVersion ?? docVersion;
  if (version === undefined) {
    throw new SchemaInputError(
      `${source}: no server version (no "raw_version" in the file); pass --server-version 2.NN.x`,
    );
  }
  const versionKey =
    typeof raw.version_key === "string" && !rawVersion ? raw.version_key : versionKeyOf(version);
  if (!/^v\d+$/.test(versionKey)) throw new SchemaInputError(`${source}: bad version_key "${versionKey}"`);
  schemas.forEach((s, i) => {
    const where = `${source}: schemas[${i}]`;
    if (!isRecord(s)) throw new SchemaInputError(`${where}: expected an object`);
    for (const k of ["name", "plural", "klass"]) checkString(s, k, where);
    checkString(s, "apiEndpoint", where, true);
    if (!Array.isArray(s.properties)) throw new SchemaInputError(`${where}.properties: must be an array`);
    s.properties.forEach((p, j) => {
      const pw = `${where} (${String(s.klass)}).properties[${j}]`;
      if (!isRecord(p)) throw new SchemaInputError(`${pw}: expected an object`);
      checkString(p, "name", pw);
      checkString(p, "propertyType", pw);
      if (
        p.constants != null &&
        !(Array.isArray(p.constants) && p.constants.every((c) => typeof c === "string"))
      ) {
        throw new SchemaInputError(`${pw}.constants: expected an array of strings`);
      }
    });
  });
  return { versionKey, rawVersion: version, schemas: schemas as unknown as SchemaDescriptor[] };
}

/** Reads and parses a schemas file. */
export async function loadSchemaFile(path: string, rawVersion?: string): Promise<SchemaDocument> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new SchemaInputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SchemaInputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseSchemaDocument(raw, path, rawVersion);
}

/** How to reach a live server. Exactly one of token or username/password. */
export interface LiveSource {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** A personal access token, sent as `Authorization: ApiToken <token>`. */
  readonly token?: string;
  readonly fetch?: typeof globalThis.fetch;
  readonly signal?: AbortSignal;
}

function authHeader(src: LiveSource): string {
  if (src.token) return `ApiToken ${src.token}`;
  if (src.username !== undefined && src.password !== undefined) {
    return `Basic ${Buffer.from(`${src.username}:${src.password}`).toString("base64")}`;
  }
  throw new SchemaInputError("live source needs --token, or --username and --password");
}

async function getJson(src: LiveSource, path: string): Promise<unknown> {
  const doFetch = src.fetch ?? globalThis.fetch;
  const url = new URL(path, src.url.endsWith("/") ? src.url : `${src.url}/`);
  let res: Response;
  try {
    res = await doFetch(url, {
      headers: { Authorization: authHeader(src), Accept: "application/json" },
      signal: src.signal,
    });
  } catch (e) {
    // Only the URL goes into the message: never the credentials.
    throw new SchemaInputError(`GET ${url.href} failed: ${(e as Error).message}`);
  }
  if (!res.ok) throw new SchemaInputError(`GET ${url.href} answered HTTP ${res.status}`);
  try {
    return await res.json();
  } catch {
    throw new SchemaInputError(`GET ${url.href} did not answer JSON`);
  }
}

/**
 * Fetches `/api/system/info` (for the version) and `/api/schemas` from a live server.
 *
 * @example
 * const doc = await fetchSchemaDocument({ url: "https://play.dhis2.org/dev", token: process.env.PAT });
 */
export async function fetchSchemaDocument(src: LiveSource): Promise<SchemaDocument> {
  const info = await getJson(src, "api/system/info");
  const version = isRecord(info) && typeof info.version === "string" ? info.version : undefined;
  if (!version) throw new SchemaInputError(`${src.url}/api/system/info: no "version" in the answer`);
  const raw = await getJson(src, "api/schemas");
  return parseSchemaDocument(raw, `${src.url}/api/schemas`, version);
}
