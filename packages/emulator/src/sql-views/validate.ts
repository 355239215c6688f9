/**
 * dhis2-core `DefaultSqlViewService.validateSqlView` and `SqlViewUtils` (the same on 2.41, 2.42
 * and 2.43): the checks run in this order and the LAST one that fails is reported (each
 * assignment overwrites the previous error), as an `IllegalQueryException` answered 409 with the
 * error code. Protected tables and illegal keywords are matched on the lower-cased SQL with
 * newlines turned into spaces, by `SqlView.getProtectedTablesRegex()` /
 * `getIllegalKeywordsRegex()` (`^(.*\W)?(word|...)(\W.*)?$`).
 */

export const PROTECTED_TABLES = [
  "users",
  "userinfo",
  "trackedentityattributevalue",
  "oauth_access_token",
  "oauth2client",
];
export const ILLEGAL_KEYWORDS = [
  "alter",
  "commit",
  "create",
  "createdb",
  "createuser",
  "delete",
  "drop",
  "grant",
  "insert",
  "rename",
  "restore",
  "revoke",
  "truncate",
  "update",
  "write",
];
/** `SqlView.STANDARD_VARIABLES`: filled in by the server from the current user. */
export const STANDARD_VARIABLES = ["_current_user_id", "_current_username"];

const MESSAGES: Record<string, string> = {
  E4300: "SQL query is null",
  E4301: "SQL query must be a select query",
  E4302: "SQL query can only contain a single semi-colon at the end of the query",
  E4305: "Variable params are invalid: `{0}`",
  E4306: "Variables are invalid: `{0}`",
  E4307: "SQL query contains variables not provided in request: `{0}`",
  E4308: "Criteria params are invalid: `{0}`",
  E4309: "Criteria values are invalid: `{0}`",
  E4310: "SQL query contains references to protected tables",
  E4311: "SQL query contains illegal keywords",
  E4313: "SQL query contains variable names that are invalid: `{0}`",
};

const SELECT = /^\s*(select|with)\s+.+/is;
const NAME = /^[-a-zA-Z0-9_]+$/;
const VALUE = /^[\p{L}\w\s-]*$/u;
const wordsRegex = (words: readonly string[]) => new RegExp(`^(.*\\W)?(${words.join("|")})(\\W.*)?$`);
const PROTECTED_RE = wordsRegex(PROTECTED_TABLES);
const ILLEGAL_RE = wordsRegex(ILLEGAL_KEYWORDS);

/** A failed check: `errorCode` and DHIS2's message. */
export interface SqlViewProblem {
  readonly errorCode: string;
  readonly message: string;
}

/** `[a, b]` the way Java prints a `Set` in `MessageFormat` (`[a, b]`). */
const javaSet = (items: readonly string[]) => `[${items.join(", ")}]`;

function problem(code: string, arg?: readonly string[]): SqlViewProblem {
  return { errorCode: code, message: MESSAGES[code]!.replace("{0}", arg ? javaSet(arg) : "") };
}

/** `SqlViewUtils.getVariables`: the names inside `${...}`. */
export function variablesOf(sql: string): string[] {
  return [...new Set([...sql.matchAll(/\$\{([^}]+)}/g)].map((m) => m[1]!))];
}

/**
 * The problem DHIS2 reports for a view about to run (or be created), or undefined.
 *
 * @example
 * validateSqlView({ sqlQuery: "select * from users", type: "QUERY" }, {}, {}); // E4310
 */
export function validateSqlView(
  view: { readonly [key: string]: unknown },
  criteria: Readonly<Record<string, string>> | undefined,
  variables: Readonly<Record<string, string>> | undefined,
): SqlViewProblem | undefined {
  if (typeof view.sqlQuery !== "string") return problem("E4300");
  const isQuery = view.type === "QUERY";
  const sqlVars = variablesOf(view.sqlQuery);
  const sql = view.sqlQuery.replace(/\r|\n/g, " ").toLowerCase();
  const allowed = new Set([...Object.keys(variables ?? {}), ...STANDARD_VARIABLES]);
  let error: SqlViewProblem | undefined;
  if (!SELECT.test(sql)) error = problem("E4301");
  if (sql.includes(";") && !sql.trim().endsWith(";")) error = problem("E4302");
  if (variables) {
    const badNames = Object.keys(variables).filter((k) => !NAME.test(k));
    if (badNames.length > 0) error = problem("E4305", badNames);
    const badValues = Object.values(variables).filter((v) => !VALUE.test(v));
    if (badValues.length > 0) error = problem("E4306", badValues);
  }
  if (isQuery && sqlVars.length > 0 && !sqlVars.every((v) => allowed.has(v)))
    error = problem("E4307", sqlVars);
  if (isQuery && sqlVars.some((v) => !NAME.test(v)))
    error = problem(
      "E4313",
      sqlVars.filter((v) => !NAME.test(v)),
    );
  if (criteria) {
    const badNames = Object.keys(criteria).filter((k) => !NAME.test(k));
    if (badNames.length > 0) error = problem("E4308", badNames);
    const badValues = Object.values(criteria).filter((v) => !VALUE.test(v));
    if (badValues.length > 0) error = problem("E4309", badValues);
  }
  if (PROTECTED_RE.test(sql)) error = problem("E4310");
  if (ILLEGAL_RE.test(sql)) error = problem("E4311");
  return error;
}

/**
 * `SqlViewUtils.substituteSqlVariables` then the standard variables: `${name}` is replaced by
 * the value when the name and the value pass DHIS2's patterns (others stay as they are).
 */
export function substituteVariables(
  sql: string,
  variables: Readonly<Record<string, string>>,
  user: { id: number; username: string } | undefined,
): string {
  let out = sql;
  const put = (name: string, value: string) => {
    if (VALUE.test(value)) out = out.split(`\${${name}}`).join(value);
  };
  for (const [k, v] of Object.entries(variables)) if (NAME.test(k)) put(k, v);
  if (user) {
    put("_current_user_id", String(user.id));
    put("_current_username", user.username);
  }
  return out;
}

/**
 * `SqlView.getCriteria`: `name:value` pairs; an entry without exactly one `:` is dropped (as
 * `split(":").length == 2` drops it), a repeated name keeps its last value.
 */
export function pairsOf(params: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    const parts = p.split(":");
    // Java's split drops trailing empty strings: "a:" is one part.
    while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
    if (parts.length === 2) out[parts[0]!] = parts[1]!;
  }
  return out;
}
