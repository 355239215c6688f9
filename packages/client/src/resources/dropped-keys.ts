import { QueryValidationError } from "./errors.js";

/**
 * Keys DHIS2 drops without an error because they are not properties of the type (its ObjectMapper
 * ignores unknown properties), with the key that was meant. `categorys` is the old plural people
 * still copy: a category combo written with it is saved with no categories (QUIRKS.md).
 */
const SILENTLY_DROPPED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  categoryCombos: { categorys: "categories" },
};

/**
 * Throws a {@link QueryValidationError} when `obj` carries a key DHIS2 would drop without a word.
 *
 * @example
 * ```ts
 * refuseDroppedKeys("categoryCombos", { name: "Sex", categorys: [] }, "create"); // throws: use `categories`
 * ```
 */
export function refuseDroppedKeys(plural: string, obj: unknown, where: string): void {
  const dropped = SILENTLY_DROPPED[plural];
  if (!dropped || typeof obj !== "object" || obj === null) return;
  for (const [key, meant] of Object.entries(dropped)) {
    if (Object.hasOwn(obj, key)) {
      throw new QueryValidationError(
        `${where}: ${plural} has no property \`${key}\`; DHIS2 would ignore it and save the object without ${meant}. Use \`${meant}\`.`,
        "body",
        key,
      );
    }
  }
}
