/**
 * DHIS2 access strings: 8 characters, metadata read (`r`), metadata write (`w`), data read (`r`),
 * data write (`w`), each `-` when not granted, then `----` (unused). dhis2-core
 * `AccessStringHelper.validateAccessString` accepts exactly this (length 8, ending in `----`,
 * positions 0-3 `r|-`, `w|-`, `r|-`, `w|-`), the same in 2.41, 2.42 and 2.43.
 */
import { Dhis2ClientError } from "../errors.js";

type R = "r" | "-";
type W = "w" | "-";

/**
 * An access string as a type: `"rw------"`, `"r-r-----"`, `"rwrw----"`, `"--------"`, ...
 * A string literal that is not one is a type error; {@link isAccessString} checks at run time.
 *
 * @example
 * ```ts
 * const everyoneReads: AccessString = "r-------";
 * ```
 */
export type AccessString = `${R}${W}${R}${W}----`;

/** What an access string grants. */
export interface AccessParts {
  /** See the object (metadata read). */
  readonly read: boolean;
  /** Change and delete the object (metadata write). */
  readonly write: boolean;
  /** See the data recorded against it (data read; data-shareable types only). */
  readonly dataRead: boolean;
  /** Record data against it (data write; data-shareable types only). */
  readonly dataWrite: boolean;
}

/**
 * An access string that is not 8 characters of `r`, `w` and `-` in DHIS2's positions. Thrown
 * before any request; `field` names where it was given (`"public"`, `"users[1].access"`).
 *
 * @example
 * ```ts
 * try { parseAccessString("rwx-----"); }
 * catch (e) { if (e instanceof InvalidAccessStringError) console.error(e.field, e.value); }
 * ```
 */
export class InvalidAccessStringError extends Dhis2ClientError {
  override readonly name = "InvalidAccessStringError" as const;

  constructor(
    message: string,
    /** Where the string was given, e.g. `"public"` or `"userGroups[0].access"`. */
    readonly field: string,
    /** The refused value, as text. */
    readonly value: string,
  ) {
    super(message);
  }
}

const ACCESS_RE = /^[r-][w-][r-][w-]----$/;
const POSITIONS = ["r", "w", "r", "w"] as const;

/**
 * True when `value` is a valid access string (a type guard).
 *
 * @example
 * ```ts
 * isAccessString("rw------"); // true
 * isAccessString("rwx-----"); // false
 * ```
 */
export function isAccessString(value: unknown): value is AccessString {
  return typeof value === "string" && ACCESS_RE.test(value);
}

/** Why `value` is no access string, in words (for the error message). */
function whyNot(value: unknown): string {
  if (typeof value !== "string") return `it is ${value === null ? "null" : typeof value}, not a string`;
  if (value.length !== 8) return `it has ${value.length} characters, not 8`;
  for (let i = 0; i < 4; i++) {
    const c = value[i];
    if (c !== "-" && c !== POSITIONS[i]) {
      const what = ["metadata read", "metadata write", "data read", "data write"][i];
      return `character ${i + 1} (${what}) must be "${POSITIONS[i]}" or "-", not "${c}"`;
    }
  }
  return `characters 5-8 must be "----", not "${value.slice(4)}"`;
}

/**
 * Returns `value` typed when it is an access string; otherwise throws an
 * {@link InvalidAccessStringError} that says which character is wrong, naming `field` (and the
 * method `op`, when given).
 *
 * @example
 * ```ts
 * const access = checkAccessString(process.argv[2], "--public");
 * ```
 */
export function checkAccessString(value: unknown, field = "access", op?: string): AccessString {
  if (isAccessString(value)) return value;
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new InvalidAccessStringError(
    `${op ? `${op}: ` : ""}${field}: ${shown} is not a DHIS2 access string: ${whyNot(value)} (8 characters: metadata read "r", metadata write "w", data read "r", data write "w", "-" for each not granted, then "----"; e.g. "rw------", "r-r-----")`,
    field,
    typeof value === "string" ? value : String(value),
  );
}

/**
 * What an access string grants; throws {@link InvalidAccessStringError} for one that is not.
 *
 * @example
 * ```ts
 * parseAccessString("rwr-----"); // { read: true, write: true, dataRead: true, dataWrite: false }
 * ```
 */
export function parseAccessString(value: string, field = "access"): AccessParts {
  const s = checkAccessString(value, field);
  return { read: s[0] === "r", write: s[1] === "w", dataRead: s[2] === "r", dataWrite: s[3] === "w" };
}

/**
 * Builds an access string from what it grants (missing parts: not granted).
 *
 * @example
 * ```ts
 * accessString({ read: true, write: true });        // "rw------"
 * accessString({ read: true, dataRead: true });     // "r-r-----"
 * ```
 */
export function accessString(parts: Partial<AccessParts>): AccessString {
  return `${parts.read ? "r" : "-"}${parts.write ? "w" : "-"}${parts.dataRead ? "r" : "-"}${
    parts.dataWrite ? "w" : "-"
  }----` as AccessString;
}

/**
 * The access strings dhis2-core's `AccessStringHelper` names (`DEFAULT`, `READ`, `WRITE`,
 * `DATA_READ`, `DATA_WRITE`, `READ_WRITE`, `DATA_READ_WRITE`, `FULL`).
 *
 * @example
 * ```ts
 * await client.sharing.set("dataSet", uid, { public: ACCESS.READ, userGroups: [{ id: g, access: ACCESS.FULL }] });
 * ```
 */
export const ACCESS = {
  DEFAULT: "--------",
  READ: "r-------",
  WRITE: "-w------",
  DATA_READ: "--r-----",
  DATA_WRITE: "---w----",
  READ_WRITE: "rw------",
  DATA_READ_WRITE: "--rw----",
  FULL: "rwrw----",
} as const satisfies Record<string, AccessString>;

/** True when the string grants data read or data write (`AccessStringHelper.hasDataSharing`). */
export function hasDataAccess(value: AccessString): boolean {
  return value[2] === "r" || value[3] === "w";
}
