/**
 * What decides the exit code: a {@link UserError} (or anything the user can fix: a bad profile,
 * a refused credential, a DHIS2 4xx, a missing file, a file's contents) exits 1; a usage mistake
 * exits 2: the command line itself is wrong (an unknown command or option, a missing argument)
 * or a value given on it is refused before any request (a malformed filter, order or fields, an
 * unknown metadata type or integrity check, a malformed analytics dimension or period); anything
 * else is a bug in d2w and exits 70 (EX_SOFTWARE of sysexits.h).
 */
import { CommanderError } from "commander";

/** Exit codes of `d2w`. */
export const EXIT = { ok: 0, user: 1, usage: 2, internal: 70 } as const;

/**
 * A problem the user can fix (wrong flag value, unknown profile, file not found...): printed as
 * one line `d2w: <message>`, exit code 1.
 *
 * @example
 * ```ts
 * if (!existsSync(file)) throw new UserError(`file not found: ${file}`);
 * ```
 */
export class UserError extends Error {
  override readonly name: string = "UserError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The command line itself is wrong (missing argument, unknown option): exit code 2.
 *
 * @example
 * ```ts
 * throw new UsageError("give --dx, --pe and --ou");
 * ```
 */
export class UsageError extends UserError {
  override readonly name = "UsageError" as const;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

const USER_FS_CODES = new Set([
  "ENOENT",
  "EACCES",
  "EISDIR",
  "ENOTDIR",
  "EEXIST",
  "EPERM",
  "EPIPE",
  "ENOSPC",
]);

/**
 * The client's errors for an input refused before any request is sent. Raised from a command's
 * flags, they are usage mistakes; a command that reads them out of a file rethrows them as a
 * {@link UserError} naming the file (the file is wrong, not the command line).
 */
const USAGE_ERROR_CLASSES = [
  "QueryValidationError",
  "InvalidDimensionError",
  "InvalidPeriodError",
  "DataStoreInputError",
  "InvalidUidError",
  "InvalidAccessStringError",
  "SharingInputError",
  "UsersInputError",
  "ExpressionSyntaxError",
  "ValidationInputError",
  "PredictorInputError",
];

/** The exit code an error deserves. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof UserError) return EXIT.user;
  if (classNames(error).some((name) => USAGE_ERROR_CLASSES.includes(name))) return EXIT.usage;
  // Every error the library raises on purpose (profiles, auth, HTTP status, network, timeouts,
  // validation of our own inputs) is about the user's setup or data, not a d2w bug.
  if (isLibraryError(error)) return EXIT.user;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string" && USER_FS_CODES.has(code)) return EXIT.user;
  if (error instanceof SyntaxError && /JSON/.test(error.message)) return EXIT.user;
  return EXIT.internal;
}

/** `message`, then with `verbose` each `cause` on its own line (and the stack of an internal error). */
export function describeError(error: unknown, verbose: boolean): string {
  const first = error instanceof Error ? error.message : String(error);
  const lines = [first.replace(/^error: /, "")];
  if (!verbose) return lines.join("\n");
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 6; depth++) {
    lines.push(`  caused by: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  if (exitCodeOf(error) === EXIT.internal && error instanceof Error && error.stack) lines.push(error.stack);
  return lines.join("\n");
}

/**
 * True for a `Dhis2ClientError` or a subclass. Checked by class name along the prototype chain so
 * that this module does not import `@dhis2w/client`: `d2w --help` must not load the client.
 */
export function isLibraryError(error: unknown): boolean {
  return classNames(error).includes("Dhis2ClientError");
}

/** The class names along an error's prototype chain, its own class first. */
function classNames(error: unknown): string[] {
  const names: string[] = [];
  let proto: unknown = error instanceof Error ? Object.getPrototypeOf(error) : undefined;
  while (proto && proto !== Error.prototype) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name;
    if (name) names.push(name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}
