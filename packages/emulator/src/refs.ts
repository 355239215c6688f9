/** Reading `{ id }` references out of stored metadata and payloads, which are untyped JSON. */

/**
 * The `id` of a reference value (`{ id: "..." }`), or `undefined` when it is not one.
 *
 * @example
 * ```ts
 * refId({ id: "ImspTQPwCqd", name: "Sierra Leone" }); // "ImspTQPwCqd"
 * ```
 */
export function refId(v: unknown): string | undefined {
  return v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string"
    ? (v as { id: string }).id
    : undefined;
}

/**
 * The ids of a list of references (`[{ id }, ...]`), skipping items that are not references; a
 * value that is not a list gives `[]`.
 *
 * @example
 * ```ts
 * refIds([{ id: "a" }, { name: "no id" }, { id: "b" }]); // ["a", "b"]
 * ```
 */
export function refIds(v: unknown): string[] {
  return Array.isArray(v) ? v.flatMap((r) => refId(r) ?? []) : [];
}
