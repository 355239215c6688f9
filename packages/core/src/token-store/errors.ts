import { Dhis2ClientError } from "@dhis2w/client";

/** Why a token store could not be used. */
export type TokenStoreProblem =
  /** Not a SQLite file (corrupted, or something else under that name). */
  | "not_a_database"
  /** A SQLite file, but not laid out as a dhis2w token store. */
  | "foreign"
  /** The file or its folder is read-only, and this operation must write. */
  | "read_only"
  /** Another process kept the file locked for longer than the busy timeout. */
  | "busy"
  /** Anything else (cannot open, I/O error, ...). */
  | "unusable";

/**
 * The SQLite token store (`tokens.sqlite`) cannot be used. The message names the file, says what
 * is wrong and how to fix it (delete the file and log in again, or make it writable); it never
 * holds a token. `path` and `problem` are there for programs.
 *
 * @example
 * ```ts
 * try { await store.get("sso"); } catch (e) { if (e instanceof TokenStoreError) console.error(e.path, e.problem); }
 * ```
 */
export class TokenStoreError extends Dhis2ClientError {
  override readonly name = "TokenStoreError" as const;
  readonly path: string;
  readonly problem: TokenStoreProblem;

  constructor(path: string, problem: TokenStoreProblem, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
    this.problem = problem;
  }
}

const READ_ONLY_CODES = new Set(["EACCES", "EPERM", "EROFS"]);

/** True for an error that means "cannot write here" (SQLite's or the file system's). */
export function isReadOnlyError(error: unknown): boolean {
  const code = codeOf(error);
  return code.startsWith("SQLITE_READONLY") || READ_ONLY_CODES.has(code);
}

/** SQLite's (or Node's) error code, `""` when there is none. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

/** The login hint of every "start over" fix. */
function relogin(path: string, key: string | undefined): string {
  // `d2w profile logout NAME` does not exist yet: deleting the file is the way to start over.
  return `delete ${path} and log in again (\`d2w profile login ${key ?? "NAME"}\`)`;
}

/** A SQLite file whose `oauth2_tokens` table is not ours (found before anything is written to it). */
export function foreignStoreError(path: string, key: string | undefined, reason: string): TokenStoreError {
  return new TokenStoreError(
    path,
    "foreign",
    `${path} is not a dhis2w OAuth2 token store (${reason}): ${relogin(path, key)}`,
  );
}

/**
 * `error` from a SQLite or file operation on the store at `path`, as a {@link TokenStoreError}.
 * `key` (the profile name) makes the login hint exact. SQLite's messages never hold bound values,
 * so the original message is kept as the reason.
 */
export function toTokenStoreError(error: unknown, path: string, key?: string): TokenStoreError {
  if (error instanceof TokenStoreError) return error;
  const code = codeOf(error);
  const reason = error instanceof Error ? error.message : String(error);
  const fix = relogin(path, key);
  const cause = { cause: error };
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return new TokenStoreError(
      path,
      "not_a_database",
      `the OAuth2 token store ${path} is not a usable SQLite database (${reason}): ${fix}`,
      cause,
    );
  }
  if (isReadOnlyError(error)) {
    return new TokenStoreError(
      path,
      "read_only",
      `cannot write the OAuth2 token store ${path}: the file or its folder is read-only (${code}). Make both writable, or ${fix}`,
      cause,
    );
  }
  if (code === "SQLITE_BUSY") {
    return new TokenStoreError(
      path,
      "busy",
      `the OAuth2 token store ${path} stayed locked by another process (${reason}): try again`,
      cause,
    );
  }
  if (code === "SQLITE_ERROR" && /no such (table|column)|has no column/.test(reason)) {
    return new TokenStoreError(
      path,
      "foreign",
      `${path} is not a dhis2w OAuth2 token store (${reason}): ${fix}`,
      cause,
    );
  }
  return new TokenStoreError(
    path,
    "unusable",
    `the OAuth2 token store ${path} cannot be used (${code ? `${code}: ` : ""}${reason}): ${fix}`,
    cause,
  );
}
