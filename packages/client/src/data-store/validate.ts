/**
 * What DHIS2 cannot take as a data store namespace, key or value, refused before any request
 * with an error that says what and where. The rules and where they come from:
 *
 * | refused | why |
 * |---|---|
 * | empty, longer than 255 characters | `keyjsonvalue.namespace` / `namespacekey` are `varchar(255)` (`DatastoreEntry.hbm.xml`) |
 * | `/` | a path separator; encoded as `%2F` it is refused by Tomcat and Spring Security's `StrictHttpFirewall` |
 * | `\`, `;`, `%` | refused by `StrictHttpFirewall` (backslash, semicolon, encoded percent) |
 * | control characters, U+2028, U+2029 | refused by `StrictHttpFirewall` (line separators, NUL) |
 * | `.` and `..` | path normalisation turns them into other paths |
 * | ending in `.json`, `.xml`, `.csv`, ... | Spring's suffix pattern matching takes it for a format (`WebMvcConfig.MEDIA_TYPE_MAP`) |
 * | any `.` on 2.41 | 2.41 matches any suffix (`ContentNegotiationConfig.setUseSuffixPatternMatch(true)`, registered extensions only from 2.42): see `dataStore.dottedNames` in `versions.ts` |
 * | a `"` in a key | the query API writes keys unescaped (`JsonWriter.writeEntries`): one such key breaks every query of its namespace |
 * | a key named `keys` (read and create only) | `GET /{ns}/keys` is the key list, so such a key cannot be read back |
 *
 * A value must be JSON: `undefined`, functions, symbols, BigInt, `NaN`/`Infinity`, cycles,
 * class instances (`Map`, `Date`, ...), sparse arrays and `\u0000` in strings (which PostgreSQL's
 * jsonb refuses) are refused with the path to the offending part.
 */
import { DataStoreInputError } from "./errors.js";

/** Format extensions DHIS2 strips from the last path segment (2.42+ `WebMvcConfig.MEDIA_TYPE_MAP`). */
const FORMAT_EXTENSIONS = [
  "json",
  "json.gz",
  "json.zip",
  "jsonp",
  "xml",
  "xml.gz",
  "xml.zip",
  "png",
  "pdf",
  "xls",
  "xlsx",
  "csv",
  "csv.gz",
  "csv.zip",
  "adx.xml",
  "adx.xml.gz",
  "adx.xml.zip",
  "geojson",
  "html",
];

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

/** Options of {@link checkName}. */
export interface NameRules {
  /** DHIS2 2.41 cannot tell a dot in a name from a format extension. */
  readonly dotsAllowed: boolean;
  /** The operation, for the message (`"dataStore.set"`). */
  readonly op: string;
}

/**
 * Throws a {@link DataStoreInputError} when DHIS2 cannot store or address `name` as a namespace
 * or key.
 *
 * @example
 * ```ts
 * checkName("key", "settings.json", { dotsAllowed: true, op: "dataStore.set" }); // throws
 * ```
 */
export function checkName(field: "namespace" | "key", name: unknown, rules: NameRules): string {
  const fail = (why: string) => {
    throw new DataStoreInputError(
      `${rules.op}: ${field} ${JSON.stringify(name)} ${why}`,
      field,
      String(name),
    );
  };
  if (typeof name !== "string") {
    throw new DataStoreInputError(
      `${rules.op}: the ${field} must be a string, got ${typeof name}`,
      field,
      String(name),
    );
  }
  if (name === "") fail("is empty");
  if (name.length > 255) fail(`is ${name.length} characters long; DHIS2 stores at most 255`);
  if (name === "." || name === "..") fail("is a path step, not a name");
  const bad = /[/\\;%]/.exec(name) ?? CONTROL.exec(name);
  if (bad) {
    const c = bad[0];
    const shown = /[/\\;%]/.test(c)
      ? `"${c}"`
      : `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    fail(`contains ${shown} at position ${bad.index}, which DHIS2 refuses in a request path`);
  }
  if (field === "key" && name.includes('"')) {
    fail(
      "contains a double quote, which DHIS2's query API writes unescaped (every query of the namespace would fail)",
    );
  }
  const lower = name.toLowerCase();
  const ext = FORMAT_EXTENSIONS.find((e) => lower.endsWith(`.${e}`));
  if (ext) fail(`ends in ".${ext}", which DHIS2 takes for a format extension and strips`);
  if (!rules.dotsAllowed && name.includes(".")) {
    fail("contains a dot, which DHIS2 2.41 takes for the start of a format extension");
  }
  return name;
}

function describeKind(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (typeof value === "bigint") return "a BigInt";
  if (typeof value === "number") return String(value);
  const name = (value as object).constructor?.name;
  return name ? `a ${name}` : "an object with a custom prototype";
}

const member = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/**
 * The JSON text of a data store value, or a {@link DataStoreInputError} naming the first part of
 * it that is not JSON (`value.rows[3].when is undefined`).
 *
 * @example
 * ```ts
 * jsonText({ a: 1 }, "dataStore.set"); // '{"a":1}'
 * ```
 */
export function jsonText(value: unknown, op: string): string {
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): void => {
    const fail = (why: string) => {
      throw new DataStoreInputError(
        `${op}: the value ${path === "value" ? "" : `at ${path} `}${why}`,
        "value",
        path,
      );
    };
    if (v === null || typeof v === "boolean") return;
    if (typeof v === "string") {
      if (v.includes("\u0000")) fail("contains U+0000, which DHIS2's database (PostgreSQL jsonb) refuses");
      return;
    }
    if (typeof v === "number") {
      if (!Number.isFinite(v)) fail(`is ${describeKind(v)}, which JSON cannot hold`);
      return;
    }
    if (typeof v !== "object") {
      fail(`is ${describeKind(v)}, which is not JSON`);
      return;
    }
    if (seen.has(v)) fail("refers back to itself (a cycle), which JSON cannot hold");
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) fail(`has a hole at [${i}] (a sparse array), which JSON cannot hold`);
        visit(v[i], `${path}[${i}]`);
      }
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        fail(
          `is ${describeKind(v)}; only plain objects, arrays, strings, numbers, booleans and null are JSON`,
        );
      }
      for (const [k, x] of Object.entries(v)) visit(x, member(path, k));
    }
    seen.delete(v);
  };
  visit(value, "value");
  return JSON.stringify(value);
}
