/**
 * RFC 6902 JSON Patch operations, as DHIS2's metadata PATCH takes them (sent as
 * `application/json-patch+json`). Plain `{ op, path, value }` objects work too; these helpers
 * just spell them.
 */

/** One JSON Patch operation. `path` and `from` are JSON Pointers ("/name", "/dataSetElements/0"). */
export type JsonPatchOp =
  | { readonly op: "add"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string }
  | { readonly op: "replace"; readonly path: string; readonly value: unknown }
  | { readonly op: "move"; readonly from: string; readonly path: string }
  | { readonly op: "copy"; readonly from: string; readonly path: string }
  | { readonly op: "test"; readonly path: string; readonly value: unknown };

/**
 * `{ op: "add", path, value }`.
 *
 * @example
 * ```ts
 * await client.patchRaw(`/api/dataElements/${uid}`, [addOp("/description", "New")]);
 * ```
 */
export const addOp = (path: string, value: unknown): JsonPatchOp => ({ op: "add", path, value });

/** `{ op: "remove", path }`. @example `removeOp("/description")` */
export const removeOp = (path: string): JsonPatchOp => ({ op: "remove", path });

/**
 * `{ op: "replace", path, value }`.
 *
 * @example
 * ```ts
 * await client.patchRaw(`/api/dataElements/${uid}`, [replaceOp("/shortName", "Px")]);
 * ```
 */
export const replaceOp = (path: string, value: unknown): JsonPatchOp => ({ op: "replace", path, value });

/** `{ op: "move", from, path }`. @example `moveOp("/code", "/name")` */
export const moveOp = (from: string, path: string): JsonPatchOp => ({ op: "move", from, path });

/** `{ op: "copy", from, path }`. @example `copyOp("/name", "/shortName")` */
export const copyOp = (from: string, path: string): JsonPatchOp => ({ op: "copy", from, path });

/** `{ op: "test", path, value }`. @example `testOp("/valueType", "NUMBER")` */
export const testOp = (path: string, value: unknown): JsonPatchOp => ({ op: "test", path, value });
