/**
 * A parser for DHIS2's expression language as aggregate expressions use it (validation rules,
 * indicators, predictors), following `Expression.g4` of dhis2-antlr-expression-parser 1.0.39:
 * operator precedence from loosest `||`/`or`, `&&`/`and`, `==` `!=`, `<` `>` `<=` `>=`, `+` `-`,
 * `*` `/` `%`, unary `+` `-` `!` `not`, to `^` (right-associative, tighter than unary minus:
 * `-2^2` is -4) and dot functions; whitespace anywhere between expressions but not inside an item
 * (`#{ a }` is refused) nor between a function's name and its parenthesis. What the grammar has
 * for program rules (`d2:` functions, `V{...}`) is refused as unsupported here, as DHIS2 does in
 * these contexts.
 */
import type { ExpressionNode, ItemNode, OrgUnitFunctionNode } from "./ast.js";
import { CONTEXT_LABELS, type ExpressionContext, isSupportedIn } from "./contexts.js";
import { ExpressionSyntaxError } from "./errors.js";
import { BINARY_LEVELS, CALLS, DOT_FUNCTIONS, ORG_UNIT_FUNCTIONS, PROGRAM_ONLY, unquote } from "./grammar.js";
import { LexerError, type Token, tokenize } from "./lexer.js";

/** A parsed expression. */
export interface ParsedExpression {
  readonly source: string;
  readonly context: ExpressionContext;
  /** Undefined for the empty expression (DHIS2 accepts it and describes it as ""). */
  readonly root: ExpressionNode | undefined;
  /** Every data item, in source order. */
  readonly items: readonly ItemNode[];
}

class Parser {
  #i = 0;
  readonly items: ItemNode[] = [];

  constructor(
    readonly source: string,
    readonly tokens: readonly Token[],
    readonly context: ExpressionContext,
  ) {}

  #peek(): Token {
    return this.tokens[this.#i] as Token;
  }

  #next(): Token {
    const t = this.#peek();
    if (t.kind !== "EOF") this.#i++;
    return t;
  }

  #at(text: string): boolean {
    const t = this.#peek();
    return t.kind === "literal" && t.text === text;
  }

  #ws(): void {
    while (this.#peek().kind === "WS") this.#i++;
  }

  #fail(at: number, reason: string, kind: "syntax" | "unsupported" = "syntax"): never {
    throw new ExpressionSyntaxError(this.source, this.context, at, reason, kind);
  }

  #found(t: Token): string {
    return t.kind === "EOF" ? "the end of the expression" : JSON.stringify(t.text);
  }

  #expect(text: string): Token {
    if (!this.#at(text))
      this.#fail(this.#peek().start, `expected "${text}" but found ${this.#found(this.#peek())}`);
    return this.#next();
  }

  #expectKind(kinds: readonly Token["kind"][], what: string): Token {
    const t = this.#peek();
    if (!kinds.includes(t.kind)) this.#fail(t.start, `expected ${what} but found ${this.#found(t)}`);
    return this.#next();
  }

  #supported(t: Token): void {
    if (!isSupportedIn(t.text, this.context)) {
      this.#fail(
        t.start,
        `${t.text} is not supported in ${CONTEXT_LABELS[this.context]} expressions`,
        "unsupported",
      );
    }
  }

  /** Source text of tokens [from, this.#i): DHIS2's `getText()` (comments dropped). */
  #text(from: number): string {
    return this.tokens
      .slice(from, this.#i)
      .map((t) => t.text)
      .join("");
  }

  root(): ExpressionNode {
    this.#ws();
    if (this.#peek().kind === "EOF")
      this.#fail(this.#peek().start, "expected a value but found only whitespace");
    const e = this.#binary(0);
    this.#ws();
    if (this.#peek().kind !== "EOF")
      this.#fail(this.#peek().start, `unexpected ${this.#found(this.#peek())}`);
    return e;
  }

  #binary(level: number): ExpressionNode {
    const ops = BINARY_LEVELS[level];
    if (!ops) return this.#unary();
    let left = this.#binary(level + 1);
    for (;;) {
      this.#ws();
      const t = this.#peek();
      if (t.kind !== "literal" || !ops.includes(t.text)) return left;
      this.#next();
      const right = this.#binary(level + 1);
      const op = (t.text === "or" ? "||" : t.text === "and" ? "&&" : t.text) as never;
      left = { type: "binary", op, left, right, start: left.start, end: right.end };
    }
  }

  #unary(): ExpressionNode {
    this.#ws();
    const t = this.#peek();
    if (t.kind === "literal" && ["+", "-", "!", "not"].includes(t.text)) {
      this.#next();
      const arg = this.#unary();
      const op = t.text === "not" ? "!" : (t.text as "+" | "-" | "!");
      return { type: "unary", op, arg, start: t.start, end: arg.end };
    }
    return this.#power();
  }

  #power(): ExpressionNode {
    const base = this.#postfix();
    this.#ws();
    if (!this.#at("^")) return base;
    this.#next();
    const exponent = this.#unary();
    return { type: "binary", op: "^", left: base, right: exponent, start: base.start, end: exponent.end };
  }

  #postfix(): ExpressionNode {
    let e = this.#primary();
    for (;;) {
      const save = this.#i;
      this.#ws();
      const t = this.#peek();
      if (t.kind !== "literal" || !DOT_FUNCTIONS.has(t.text)) {
        this.#i = save;
        return e;
      }
      this.#supported(t);
      this.#next();
      const name = t.text.slice(1).replace(/\(\)?$/, "") as never;
      let arg: string | undefined;
      if (t.text !== ".yearToDate()") {
        this.#ws();
        if (t.text === ".aggregationType(")
          arg = this.#expectKind(["IDENTIFIER"], "an aggregation type").text;
        else if (t.text === ".maxDate(" || t.text === ".minDate(")
          arg = this.#expectKind(["DATE_LITERAL"], "a date (yyyy-MM-dd)").text;
        else {
          const sign = this.#at("-") || this.#at("+") ? this.#next().text : "";
          arg = sign + this.#expectKind(["INTEGER_LITERAL"], "an integer").text;
        }
        this.#ws();
        this.#expect(")");
      }
      const end = (this.tokens[this.#i - 1] as Token).end;
      e = { type: "dotCall", name, target: e, ...(arg !== undefined ? { arg } : {}), start: e.start, end };
    }
  }

  #primary(): ExpressionNode {
    this.#ws();
    const t = this.#peek();
    switch (t.kind) {
      case "INTEGER_LITERAL":
      case "NUMERIC_LITERAL":
        this.#next();
        return { type: "number", value: Number(t.text), text: t.text, start: t.start, end: t.end };
      case "STRING_LITERAL":
      case "QUOTED_UID":
        this.#next();
        return { type: "string", value: unquote(t.text), start: t.start, end: t.end };
      case "BOOLEAN_LITERAL":
        this.#next();
        return { type: "boolean", value: t.text === "true", start: t.start, end: t.end };
      case "literal":
        return this.#literal(t);
      case "EOF":
        return this.#fail(t.start, "expected a value but found the end of the expression");
      case "IDENTIFIER": {
        // `if (...)`: DHIS2's functions are tokens with their parenthesis, so a space breaks them.
        let j = this.#i + 1;
        while (this.tokens[j]?.kind === "WS") j++;
        if (this.tokens[j]?.text === "(" && CALLS[`${t.text}(`]) {
          return this.#fail(t.start, `unexpected "${t.text}": write "${t.text}(" with no space before "("`);
        }
        return this.#fail(t.start, `unexpected ${this.#found(t)}`);
      }
      default:
        return this.#fail(t.start, `unexpected ${this.#found(t)}`);
    }
  }

  #literal(t: Token): ExpressionNode {
    if (t.text === "(") {
      this.#next();
      const expr = this.#binary(0);
      this.#ws();
      const close = this.#expect(")");
      return { type: "group", expr, start: t.start, end: close.end };
    }
    if (t.text === "null") {
      this.#supported(t);
      this.#next();
      return { type: "null", start: t.start, end: t.end };
    }
    if (t.text === "[days]" || t.text === "[periodInYear]" || t.text === "[yearlyPeriodCount]") {
      this.#supported(t);
      this.#next();
      return { type: "variable", name: t.text, start: t.start, end: t.end };
    }
    if (CALLS[t.text]) return this.#call(t);
    const orgUnitFunction = ORG_UNIT_FUNCTIONS[t.text];
    if (orgUnitFunction) return this.#orgUnitFunction(t, orgUnitFunction);
    if (["#{", "A{", "C{", "D{", "I{", "N{", "OUG{", "R{"].includes(t.text)) return this.#item(t);
    if (PROGRAM_ONLY.test(t.text)) {
      return this.#fail(
        t.start,
        `${t.text} is for program rules and program indicators, not ${CONTEXT_LABELS[this.context]} expressions`,
        "unsupported",
      );
    }
    return this.#fail(t.start, `unexpected ${this.#found(t)}`);
  }

  #call(t: Token): ExpressionNode {
    this.#supported(t);
    this.#next();
    const name = t.text.slice(0, -1);
    const [least, most] = CALLS[t.text] as readonly [number, number];
    const args: ExpressionNode[] = [];
    let distinct = false;
    if (t.text === "count(") {
      this.#ws();
      if (this.#at("distinct")) {
        this.#next();
        distinct = true;
      }
    }
    if (t.text === "is(") return this.#is(t, args);
    for (;;) {
      args.push(this.#binary(0));
      this.#ws();
      if (!this.#at(",")) break;
      if (args.length >= most) this.#fail(this.#peek().start, `${name}() takes at most ${most} argument(s)`);
      this.#next();
    }
    if (this.#at(")") && args.length < least)
      this.#fail(this.#peek().start, `${name}() needs at least ${least} arguments`);
    const close = this.#expect(")");
    return { type: "call", name, args, ...(distinct ? { distinct } : {}), start: t.start, end: close.end };
  }

  /** `is(x in a, b, ...)`: whitespace on both sides of `in` is part of the grammar. */
  #is(t: Token, args: ExpressionNode[]): ExpressionNode {
    args.push(this.#binary(0));
    this.#ws();
    const before = this.tokens[this.#i - 1];
    if (!this.#at("in") || before?.kind !== "WS")
      this.#fail(this.#peek().start, `expected " in " after the first argument of is(`);
    this.#next();
    if (this.#peek().kind !== "WS") this.#fail(this.#peek().start, `expected a space after "in"`);
    for (;;) {
      args.push(this.#binary(0));
      this.#ws();
      if (!this.#at(",")) break;
      this.#next();
    }
    const close = this.#expect(")");
    return { type: "call", name: "is", args, start: t.start, end: close.end };
  }

  #orgUnitFunction(t: Token, name: OrgUnitFunctionNode["name"]): ExpressionNode {
    this.#supported(t);
    this.#next();
    const uids: { uid: string; start: number; end: number }[] = [];
    for (;;) {
      this.#ws();
      const u = this.#expectKind(["UID"], "a UID");
      uids.push({ uid: u.text, start: u.start, end: u.end });
      this.#ws();
      if (!this.#at(",")) break;
      this.#next();
    }
    const close = this.#expect(")");
    return { type: "orgUnitFunction", name, uids, start: t.start, end: close.end };
  }

  #item(t: Token): ItemNode {
    this.#supported(t);
    const from = this.#i;
    this.#next();
    const symbol = t.text as ItemNode["symbol"];
    const uid = (what: string, tagged?: Token["kind"]) =>
      this.#expectKind(tagged ? ["UID", tagged] : ["UID"], what).text;
    let uid0: string;
    let uid1: string | undefined;
    let uid2: string | undefined;
    let wildcard = false;
    let reportingRateType: string | undefined;
    if (symbol === "#{") {
      const first = this.#peek();
      if (first.kind !== "UID" && first.kind !== "TAGGED_UID0") {
        this.#fail(first.start, `expected a data element UID after "#{" but found ${this.#found(first)}`);
      }
      uid0 = this.#next().text;
      if (this.#at(".*")) {
        this.#next();
        wildcard = true;
      } else if (this.#at(".*.")) {
        this.#next();
        uid2 = uid("an attribute option combo UID");
      } else if (this.#at(".")) {
        this.#next();
        uid1 = uid("a category option combo UID", "TAGGED_UID1");
        if (this.#at(".*")) {
          this.#next();
          wildcard = true;
        } else if (this.#at(".")) {
          this.#next();
          uid2 = uid("an attribute option combo UID");
        }
      }
    } else if (symbol === "R{") {
      uid0 = uid("a data set UID");
      this.#expect(".");
      reportingRateType = this.#expectKind(["REPORTING_RATE_TYPE"], "a reporting rate type").text;
    } else {
      uid0 = uid("a UID");
      if (symbol === "D{" || (symbol === "A{" && this.#at("."))) {
        this.#expect(".");
        uid1 = uid("a UID");
      }
    }
    const close = this.#expect("}");
    const node: ItemNode = {
      type: "item",
      symbol,
      text: this.#text(from),
      uid0,
      ...(uid1 !== undefined ? { uid1 } : {}),
      ...(uid2 !== undefined ? { uid2 } : {}),
      ...(wildcard ? { wildcard } : {}),
      ...(reportingRateType !== undefined ? { reportingRateType } : {}),
      start: t.start,
      end: close.end,
    };
    this.items.push(node);
    return node;
  }
}

/**
 * Parses an expression the way DHIS2 would in `context` (default `validationRule`), throwing an
 * {@link ExpressionSyntaxError} that says where for anything DHIS2 would refuse on syntax or
 * because the context does not allow it. Whether the objects it names exist is for the server.
 *
 * @example
 * ```ts
 * const { items } = parseExpression("#{fbfJHSPpUQD.pq2XI5kz2BY} + C{Gfd3ppDfq8E}");
 * items.map((i) => i.text); // ["#{fbfJHSPpUQD.pq2XI5kz2BY}", "C{Gfd3ppDfq8E}"]
 * parseExpression("sum(#{fbfJHSPpUQD})", { context: "predictor" });
 * ```
 */
export function parseExpression(
  source: string,
  options: { context?: ExpressionContext } = {},
): ParsedExpression {
  const context = options.context ?? "validationRule";
  if (typeof source !== "string") {
    throw new ExpressionSyntaxError(String(source), context, 0, "an expression must be a string");
  }
  if (source === "") return { source, context, root: undefined, items: [] };
  let tokens: Token[];
  try {
    tokens = tokenize(source);
  } catch (error) {
    if (!(error instanceof LexerError)) throw error;
    const ch = source[error.position] ?? "";
    throw new ExpressionSyntaxError(
      source,
      context,
      error.position,
      `unexpected character ${JSON.stringify(ch)}`,
    );
  }
  const parser = new Parser(source, tokens, context);
  const root = parser.root();
  return { source, context, root, items: parser.items };
}
