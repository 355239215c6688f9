/**
 * The tokens of DHIS2's expression language, cut the way DHIS2's ANTLR lexer cuts them
 * (dhis2-antlr-expression-parser 1.0.39, `Expression.g4`, the version dhis2-core 2.41-2.43 use):
 * at each position the longest match wins, and among matches of the same length the rule defined
 * first (the grammar's literal tokens, then REPORTING_RATE_TYPE, INTEGER_LITERAL, NUMERIC_LITERAL,
 * BOOLEAN_LITERAL, DATE_LITERAL, QUOTED_UID, STRING_LITERAL, UID, TAGGED_UID0/1, IDENTIFIER, WS).
 * So `if(` is one token (`if (` is an error, as in DHIS2), `not` is an operator but `notisNull`
 * an identifier, and twelve letters are an identifier, not a UID. Comments are skipped.
 */

/** One token: its kind, its text and where it is in the source (`start` inclusive, `end` exclusive). */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** `literal` for the grammar's fixed tokens (`if(`, `#{`, `+`, `}` ...); the rest are DHIS2's rule names. */
export type TokenKind =
  | "literal"
  | "REPORTING_RATE_TYPE"
  | "INTEGER_LITERAL"
  | "NUMERIC_LITERAL"
  | "BOOLEAN_LITERAL"
  | "DATE_LITERAL"
  | "QUOTED_UID"
  | "STRING_LITERAL"
  | "UID"
  | "TAGGED_UID0"
  | "TAGGED_UID1"
  | "IDENTIFIER"
  | "WS"
  | "EOF";

/** The grammar's fixed tokens, functions with their opening parenthesis. */
const LITERALS: readonly string[] = [
  "(",
  ")",
  ",",
  "^",
  "+",
  "-",
  "*",
  "/",
  "%",
  "==",
  "!=",
  ">",
  "<",
  ">=",
  "<=",
  "!",
  "&&",
  "||",
  "not",
  "and",
  "or",
  "in",
  "distinct",
  "null",
  "}",
  ".",
  ".*",
  ".*.",
  "'",
  '"',
  ".aggregationType(",
  ".maxDate(",
  ".minDate(",
  ".periodOffset(",
  ".stageOffset(",
  ".yearToDate()",
  "contains(",
  "containsItems(",
  "firstNonNull(",
  "greatest(",
  "if(",
  "is(",
  "isNotNull(",
  "isNull(",
  "least(",
  "log(",
  "log10(",
  "normDistCum(",
  "normDistDen(",
  "orgUnit.ancestor(",
  "orgUnit.dataSet(",
  "orgUnit.group(",
  "orgUnit.program(",
  "removeZeros(",
  "subExpression(",
  "avg(",
  "count(",
  "max(",
  "median(",
  "min(",
  "percentileCont(",
  "stddev(",
  "stddevPop(",
  "stddevSamp(",
  "sum(",
  "variance(",
  "#{",
  "A{",
  "C{",
  "D{",
  "I{",
  "N{",
  "OUG{",
  "PS_EVENTDATE:",
  "R{",
  "V{",
  "X{",
  "[days]",
  "[periodInYear]",
  "[yearlyPeriodCount]",
  "co:",
  "coGroup:",
  "deGroup:",
  // Program rule functions and variables: DHIS2 lexes them everywhere (so `event_date` is never an
  // identifier), and refuses them in aggregate expressions.
  ...[
    "addDays",
    "ceil",
    "concatenate",
    "condition",
    "count",
    "countIfCondition",
    "countIfValue",
    "countIfZeroPos",
    "daysBetween",
    "extractDataMatrixValue",
    "floor",
    "hasUserRole",
    "hasValue",
    "inOrgUnitGroup",
    "lastEventDate",
    "left",
    "length",
    "maxValue",
    "minutesBetween",
    "minValue",
    "modulus",
    "monthsBetween",
    "oizp",
    "relationshipCount",
    "right",
    "round",
    "split",
    "substring",
    "validatePattern",
    "weeksBetween",
    "yearsBetween",
    "zing",
    "zpvc",
    "zScoreHFA",
    "zScoreWFA",
    "zScoreWFH",
  ].map((f) => `d2:${f}(`),
  "analytics_period_end",
  "analytics_period_start",
  "completed_date",
  "creation_date",
  "current_date",
  "due_date",
  "enrollment_count",
  "enrollment_date",
  "enrollment_id",
  "enrollment_status",
  "environment",
  "event_count",
  "scheduled_event_count",
  "event_date",
  "scheduled_date",
  "event_id",
  "event_status",
  "execution_date",
  "incident_date",
  "org_unit_count",
  "org_unit",
  "orgunit_code",
  "program_name",
  "program_stage_id",
  "program_stage_name",
  "sync_date",
  "tei_count",
  "value_count",
  "zero_pos_value_count",
];

const EXP = "(?:[eE][+-]?[0-9]+)?";
const UID = "[a-zA-Z][a-zA-Z0-9]{10}";
const ESC = String.raw`\\(?:[btnfr"'\\]|[0-3]?[0-7]?[0-7]|u+[0-9a-fA-F]{4})`;

/** The grammar's lexer rules after its literals, in definition order (ties go to the earlier one). */
const RULES: readonly (readonly [TokenKind, RegExp])[] = [
  [
    "REPORTING_RATE_TYPE",
    /REPORTING_RATE_ON_TIME|REPORTING_RATE|ACTUAL_REPORTS_ON_TIME|ACTUAL_REPORTS|EXPECTED_REPORTS/y,
  ],
  ["INTEGER_LITERAL", /0|[1-9][0-9]*/y],
  ["NUMERIC_LITERAL", new RegExp(`(?:0|[1-9][0-9]*)(?:\\.[0-9]*)?${EXP}|\\.[0-9]+${EXP}`, "y")],
  ["BOOLEAN_LITERAL", /true|false/y],
  ["DATE_LITERAL", /[1-9][0-9]{3}-[0-1]?[0-9]-[0-3]?[0-9]/y],
  ["QUOTED_UID", new RegExp(`'${UID}'|"${UID}"`, "y")],
  ["STRING_LITERAL", new RegExp(`'(?:[^'\\\\\\r\\n]|${ESC})*'|"(?:[^"\\\\\\r\\n]|${ESC})*"`, "y")],
  ["UID", new RegExp(UID, "y")],
  ["TAGGED_UID0", new RegExp(`deGroup:${UID}`, "y")],
  ["TAGGED_UID1", new RegExp(`co:${UID}|coGroup:${UID}(?:&${UID})*`, "y")],
  ["IDENTIFIER", /[a-zA-Z_]+/y],
  ["WS", /[ \t\n\r]+/y],
];

const COMMENT = /\/\*[\s\S]*?\*\//y;

/** A character no lexer rule accepts: DHIS2's lexer reports it as a syntax error at its position. */
export class LexerError extends Error {
  override readonly name: string = "LexerError";

  constructor(readonly position: number) {
    super(`no token starts at character ${position}`);
  }
}

function matchAt(re: RegExp, source: string, pos: number): number {
  re.lastIndex = pos;
  const m = re.exec(source);
  return m ? m[0].length : 0;
}

/**
 * Cuts `source` into tokens (comments dropped, whitespace kept: the grammar allows it only in
 * some places), ending with an `EOF` token.
 *
 * @example
 * ```ts
 * tokenize("#{fbfJHSPpUQD}*2").map((t) => t.text); // ["#{", "fbfJHSPpUQD", "}", "*", "2", ""]
 * ```
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const comment = matchAt(COMMENT, source, pos);
    let best = 0;
    let kind: TokenKind = "literal";
    for (const lit of LITERALS) {
      if (lit.length > best && source.startsWith(lit, pos)) best = lit.length;
    }
    for (const [ruleKind, re] of RULES) {
      const n = matchAt(re, source, pos);
      if (n > best) {
        best = n;
        kind = ruleKind;
      }
    }
    // COMMENT is the grammar's last rule: it wins only when it is strictly the longest match.
    if (comment > best) {
      pos += comment;
      continue;
    }
    if (best === 0) throw new LexerError(pos);
    tokens.push({ kind, text: source.slice(pos, pos + best), start: pos, end: pos + best });
    pos += best;
  }
  tokens.push({ kind: "EOF", text: "", start: source.length, end: source.length });
  return tokens;
}
