/**
 * What PostgreSQL's `jsonb` does to a value, since DHIS2 keeps data store values in a `jsonb`
 * column (`keyjsonvalue.jbvalue`, dhis2-core `DatastoreEntry.hbm.xml`) and answers what the
 * database hands back: object keys re-ordered (shorter first, then bytewise), duplicate keys
 * collapsed to the last, `": "` and `", "` between tokens, numbers without exponents. The query API
 * compares and sorts with jsonb's own rules, reproduced here too.
 */

/** A value as JSON.parse returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** jsonb's key order (PostgreSQL `lengthCompareJsonbStringValue`): UTF-8 length, then bytes. */
export function compareJsonbKeys(a: string, b: string): number {
  const ba = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return ba.length - bb.length || Buffer.compare(ba, bb);
}

/** A number as PostgreSQL's `numeric_out` writes it: never in exponent notation. */
export function numericText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  // A small fraction (1e-7): write the digits out.
  const [mantissa = "0", exp = "0"] = s.split(/e/i);
  const negative = mantissa.startsWith("-");
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const dot = unsigned.indexOf(".");
  const digits = unsigned.replace(".", "");
  const at = (dot === -1 ? unsigned.length : dot) + Number(exp);
  const text = at <= 0 ? `0.${"0".repeat(-at)}${digits}` : `${digits.slice(0, at)}.${digits.slice(at)}`;
  return (negative ? "-" : "") + text;
}

/**
 * The text PostgreSQL gives for a jsonb value (`jsonb_out`).
 *
 * @example
 * jsonbText({ zz: [1, 2], a: "x" }); // '{"a": "x", "zz": [1, 2]}'
 */
export function jsonbText(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return numericText(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  const keys = Object.keys(value).sort(compareJsonbKeys);
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText(value[k] as Json)}`).join(", ")}}`;
}

/** `jsonb_typeof`. */
export function jsonbType(value: Json): "null" | "boolean" | "number" | "string" | "array" | "object" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as "boolean" | "number" | "string" | "object";
}

/**
 * `jsonb_extract_path(value, ...segments)`: `undefined` where SQL answers NULL (a missing member,
 * an index past the end, a step into a scalar). A segment indexes an array when it is an integer.
 */
export function extractPath(value: Json, segments: readonly string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const seg of segments) {
    if (current === null || current === undefined || typeof current !== "object") return undefined;
    if (Array.isArray(current)) {
      if (!/^-?\d+$/.test(seg)) return undefined;
      const i = Number(seg);
      current = current[i < 0 ? current.length + i : i];
    } else {
      current = Object.hasOwn(current, seg) ? current[seg] : undefined;
    }
  }
  return current;
}

const TYPE_RANK = { null: 0, string: 1, number: 2, boolean: 3, array: 4, object: 5 } as const;

/**
 * jsonb's btree order (PostgreSQL docs, "jsonb Indexing"): Object > Array > Boolean > Number >
 * String > Null; objects by pair count, then pairs in key order; arrays element by element.
 * Strings are compared by code unit here (the database's collation would be locale-aware).
 */
export function compareJsonb(a: Json, b: Json): number {
  const ta = jsonbType(a);
  const tb = jsonbType(b);
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  switch (ta) {
    case "null":
      return 0;
    case "boolean":
      return Number(a) - Number(b);
    case "number":
      return (a as number) - (b as number);
    case "string":
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case "array": {
      const xa = a as Json[];
      const xb = b as Json[];
      if (xa.length !== xb.length) return xa.length - xb.length;
      for (let i = 0; i < xa.length; i++) {
        const c = compareJsonb(xa[i] as Json, xb[i] as Json);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const oa = a as Record<string, Json>;
      const ob = b as Record<string, Json>;
      const ka = Object.keys(oa).sort(compareJsonbKeys);
      const kb = Object.keys(ob).sort(compareJsonbKeys);
      if (ka.length !== kb.length) return ka.length - kb.length;
      for (let i = 0; i < ka.length; i++) {
        const c = compareJsonbKeys(ka[i] as string, kb[i] as string);
        if (c !== 0) return c;
        const v = compareJsonb(oa[ka[i] as string] as Json, ob[kb[i] as string] as Json);
        if (v !== 0) return v;
      }
      return 0;
    }
  }
}

/** `jsonb_extract_path_text`: a string without its quotes, anything else as jsonb text. */
export function jsonbAsText(value: Json): string {
  return typeof value === "string" ? value : jsonbText(value);
}
