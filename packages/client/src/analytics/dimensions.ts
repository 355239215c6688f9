/**
 * Analytics dimension strings (`dx:a;b`, `pe:LAST_12_MONTHS`, `ou:ImspTQPwCqd;LEVEL-2`): checked
 * before sending so a typo fails here with its position, not as a server 409. Syntax after the
 * DHIS2 Web API docs, "Analytics" -> "Dimensions and items" (items joined by `;`; `ou` accepts
 * UIDs, `LEVEL-n`, `OU_GROUP-<uid>`, `USER_ORGUNIT`, `USER_ORGUNIT_CHILDREN`,
 * `USER_ORGUNIT_GRANDCHILDREN`; `pe` accepts ISO periods and relative periods such as
 * `LAST_12_MONTHS`).
 */
import { Dhis2ClientError } from "../errors.js";
import { isValidPeriod } from "../periods.js";

/** Dimensions as strings (`"dx:a;b"`) or as an object (`{ dx: ["a", "b"], pe: "2024" }`). */
export type AnalyticsDimensions = readonly string[] | Readonly<Record<string, string | readonly string[]>>;

const DIM_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const UID = "[A-Za-z][A-Za-z0-9]{10}";
const UID_RE = new RegExp(`^${UID}$`);
/** dx items: a UID, an operand `de.coc` / `de.coc.aoc` / `de.*`, or `ds.REPORTING_RATE`-style items. */
const DX_RE = new RegExp(`^${UID}(\\.(${UID}|\\*|[A-Z_]+))?(\\.(${UID}|\\*))?$`);
const OU_RE = new RegExp(
  `^(${UID}|LEVEL-(\\d+|${UID})|OU_GROUP-${UID}|USER_ORGUNIT|USER_ORGUNIT_CHILDREN|USER_ORGUNIT_GRANDCHILDREN)$`,
);
const RELATIVE_RE = /^[A-Z][A-Z0-9_]*$/;

/** Thrown for a malformed dimension; `message` names the dimension and the bad part. */
export class InvalidDimensionError extends Dhis2ClientError {
  override readonly name = "InvalidDimensionError" as const;
}

function checkItem(dim: string, item: string, where: string): void {
  if (item === "")
    throw new InvalidDimensionError(`${where}: empty item (two ";" in a row, or a trailing ";")`);
  const ok =
    dim === "dx"
      ? DX_RE.test(item)
      : dim === "pe"
        ? isValidPeriod(item) || RELATIVE_RE.test(item)
        : dim === "ou"
          ? OU_RE.test(item)
          : /^[A-Za-z0-9_.*-]+$/.test(item);
  if (!ok) {
    const hint =
      dim === "pe"
        ? "an ISO period (202401, 2024Q1, 2024W5, 2024) or a relative period (LAST_12_MONTHS)"
        : dim === "ou"
          ? "an org unit UID, LEVEL-n, OU_GROUP-<uid>, USER_ORGUNIT or USER_ORGUNIT_CHILDREN"
          : dim === "dx"
            ? "a UID or an operand uid.uid"
            : "an item id";
    throw new InvalidDimensionError(`${where}: item "${item}" is not ${hint}`);
  }
}

/**
 * Validates and normalises dimensions to DHIS2's `dim:item;item` strings.
 *
 * @throws {InvalidDimensionError} naming the dimension and the bad item.
 * @example
 * ```ts
 * normaliseDimensions({ dx: ["fClA2Erf6IO"], pe: "LAST_12_MONTHS" }); // ["dx:fClA2Erf6IO", "pe:LAST_12_MONTHS"]
 * ```
 */
export function normaliseDimensions(
  dimensions: AnalyticsDimensions | undefined,
  what = "dimensions",
): string[] {
  if (dimensions === undefined) return [];
  const pairs: [string, string[] | undefined, string][] = [];
  if (Array.isArray(dimensions)) {
    (dimensions as readonly string[]).forEach((raw, i) => {
      const where = `${what}[${i}] ${JSON.stringify(raw)}`;
      if (typeof raw !== "string") throw new InvalidDimensionError(`${where}: not a string`);
      const colon = raw.indexOf(":");
      if (colon < 0) pairs.push([raw, undefined, where]);
      else pairs.push([raw.slice(0, colon), raw.slice(colon + 1).split(";"), where]);
    });
  } else {
    for (const [dim, items] of Object.entries(dimensions as Record<string, string | readonly string[]>)) {
      const list = typeof items === "string" ? items.split(";") : [...items];
      pairs.push([dim, list, `${what}.${dim}`]);
    }
  }
  const seen = new Set<string>();
  return pairs.map(([dim, items, where]) => {
    if (!DIM_RE.test(dim)) throw new InvalidDimensionError(`${where}: "${dim}" is not a dimension name`);
    if (seen.has(dim)) throw new InvalidDimensionError(`${where}: dimension "${dim}" is given twice`);
    seen.add(dim);
    if (items === undefined || (items.length === 1 && items[0] === "")) {
      // `co` and category dimensions may come without items; dx/pe/ou never do.
      if (dim === "dx" || dim === "pe" || dim === "ou") {
        throw new InvalidDimensionError(`${where}: "${dim}" needs items, e.g. "${dim}:<item>;<item>"`);
      }
      return dim;
    }
    for (const item of items) checkItem(dim, item, where);
    return `${dim}:${items.join(";")}`;
  });
}

/** True when `s` looks like a UID (used by the emulator and by callers building dimensions). */
export const isDimensionUid = (s: string): boolean => UID_RE.test(s);
