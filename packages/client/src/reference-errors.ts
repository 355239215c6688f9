/**
 * Errors about the objects a call names (users, user groups, org units): a string that cannot be
 * a UID is refused before any request; an object the server does not have is named after DHIS2
 * said so, or after a check the client made because DHIS2 would have ignored it silently.
 */
import { Dhis2ClientError } from "./errors.js";
import { isValidUid } from "./uid.js";

/**
 * A value given where a DHIS2 UID belongs is not one (11 characters, a letter first, then
 * letters or digits). Thrown before any request. `field` says which argument (`"userUid"`,
 * `"capture[2]"`), `value` what was given.
 *
 * @example
 * ```ts
 * try { await client.users.disable("not a uid"); }
 * catch (e) { if (e instanceof InvalidUidError) console.error(e.field, e.value); }
 * ```
 */
export class InvalidUidError extends Dhis2ClientError {
  override readonly name = "InvalidUidError" as const;

  constructor(
    message: string,
    /** The argument that was refused, e.g. `"userUid"` or `"capture[2]"`. */
    readonly field: string,
    /** What was given (as text). */
    readonly value: string,
  ) {
    super(message);
  }
}

/**
 * Objects a call names do not exist on the server. `type` is DHIS2's singular name
 * (`"user"`, `"userGroup"`, `"organisationUnit"`), `ids` the missing UIDs, `op` the method.
 *
 * @example
 * ```ts
 * try { await client.users.addToGroup(userUid, "nOSuChGroup1"); }
 * catch (e) { if (e instanceof ObjectNotFoundError) console.error(e.type, e.ids); }
 * ```
 */
export class ObjectNotFoundError extends Dhis2ClientError {
  override readonly name = "ObjectNotFoundError" as const;

  constructor(
    /** The method that looked, e.g. `"users.addToGroup"`. */
    readonly op: string,
    /** DHIS2's singular type name of the missing objects. */
    readonly type: string,
    /** The UIDs (or usernames) that were not found. */
    readonly ids: readonly string[],
    options?: ErrorOptions,
  ) {
    const what =
      ids.length === 1 ? `${type} ${ids[0]} does not exist` : `${type}s ${ids.join(", ")} do not exist`;
    super(`${op}: ${what} on the server`, options);
  }
}

/** Returns `value` when it is a UID, else throws an {@link InvalidUidError} naming `field` in `op`. */
export function checkUid(op: string, field: string, value: unknown): string {
  if (isValidUid(value)) return value;
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new InvalidUidError(
    `${op}: ${field} ${shown} is not a DHIS2 UID (11 characters: a letter, then 10 letters or digits)`,
    field,
    typeof value === "string" ? value : String(value),
  );
}

/** Checks every UID of a list, naming the offending one by its index (`capture[2]`). */
export function checkUids(op: string, field: string, values: unknown): string[] {
  if (!Array.isArray(values)) {
    throw new InvalidUidError(`${op}: ${field} must be an array of UIDs`, field, String(values));
  }
  return values.map((v, i) => checkUid(op, `${field}[${i}]`, v));
}
