import { Dhis2ClientError } from "../errors.js";

/**
 * A data store namespace, key, value or query that DHIS2 would refuse (or silently change) was
 * refused before any request. `field` says which input, `part` what in it: the name as given,
 * or the path into the value (`value.rows[3].when`).
 *
 * @example
 * ```ts
 * try { await client.dataStore.set("app", "a/b", 1); }
 * catch (e) { if (e instanceof DataStoreInputError) console.error(e.field, e.part, e.message); }
 * ```
 */
export class DataStoreInputError extends Dhis2ClientError {
  override readonly name = "DataStoreInputError" as const;

  constructor(
    message: string,
    /** Which input was refused. */
    readonly field: "namespace" | "key" | "value" | "fields" | "filter" | "order" | "pageSize",
    /** The offending name, expression or path into the value. */
    readonly part: string,
  ) {
    super(message);
  }
}
