import { QueryValidationError } from "./errors.js";
import { checkPath } from "./filters.js";
import type { ResourceDef } from "./resource-def.js";

/** DHIS2's sort directions; `iasc`/`idesc` ignore case. */
export const ORDER_DIRECTIONS = ["asc", "desc", "iasc", "idesc"] as const;
/** One of {@link ORDER_DIRECTIONS}, the part after the colon in `order=name:asc`. */
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];

/** `"name"`, `"name:asc"`, or several of them (as an array or comma-separated). */
export type OrderOption = string | readonly string[];

/**
 * Validates `order` and returns the single comma-joined value DHIS2 reads (`level:asc,name:asc`).
 *
 * @example
 * ```ts
 * buildOrderParam(["level:asc", "name:idesc"]); // "level:asc,name:idesc"
 * ```
 */
export function buildOrderParam(order: OrderOption | undefined, def?: ResourceDef): string | undefined {
  if (order === undefined) return undefined;
  const parts = (typeof order === "string" ? [order] : order).flatMap((o) => o.split(","));
  if (parts.length === 0) return undefined;
  return parts
    .map((raw) => {
      const part = raw.trim();
      const bad = (why: string, piece: string) =>
        new QueryValidationError(`invalid order "${raw}": ${why}`, "order", piece);
      const [property = "", direction, extra] = part.split(":");
      if (property === "") throw bad("the property is empty", part);
      if (extra !== undefined) throw bad("expected property[:direction]", part);
      if (direction !== undefined && !(ORDER_DIRECTIONS as readonly string[]).includes(direction)) {
        throw bad(`unknown direction "${direction}" (use ${ORDER_DIRECTIONS.join(", ")})`, direction);
      }
      checkPath(property, def, "order", part);
      return part;
    })
    .join(",");
}
