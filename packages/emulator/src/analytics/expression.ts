/**
 * Indicator expressions: `#{deUid}` (data element total), `#{deUid.cocUid}` (operand),
 * `#{deUid.cocUid.aocUid}` / `#{deUid.*.aocUid}` (the attribute part is ignored), numbers,
 * `+ - * /` and parentheses. Missing values follow DHIS2's default `missingValueStrategy`
 * SKIP_IF_ALL_VALUES_MISSING: the expression has no value when every item is missing, and a
 * missing item counts as 0 otherwise (DHIS2 docs, "Indicators"; dhis2-core `MissingValueStrategy`).
 */

/** One `#{...}` reference. */
export interface ExpressionItem {
  dataElement: string;
  /** Undefined for the data element total. */
  categoryOptionCombo: string | undefined;
}

type Node =
  | { k: "num"; v: number }
  | { k: "item"; i: number }
  | { k: "neg"; a: Node }
  | { k: "bin"; op: "+" | "-" | "*" | "/"; a: Node; b: Node };

/** A parsed expression: its items, and an evaluator over their values. */
export interface CompiledExpression {
  readonly items: readonly ExpressionItem[];
  /** `values[i]` is item i's value or undefined; returns undefined when it has no value. */
  evaluate(values: readonly (number | undefined)[]): number | undefined;
}

/** Thrown for an expression the emulator cannot read; the message says where. */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError" as const;
}

/**
 * Parses an indicator numerator/denominator.
 *
 * @example
 * compileExpression("#{a1234567890}+#{b1234567890.c1234567890}*2").items.length; // 2
 */
export function compileExpression(source: string): CompiledExpression {
  const items: ExpressionItem[] = [];
  const keys = new Map<string, number>();
  let pos = 0;
  const s = source;
  const ws = () => {
    while (pos < s.length && /\s/.test(s[pos] ?? "")) pos++;
  };
  const fail = (what: string): never => {
    throw new ExpressionError(`${what} at position ${pos} of "${source}"`);
  };
  const primary = (): Node => {
    ws();
    const c = s[pos];
    if (c === "(") {
      pos++;
      const n = sum();
      ws();
      if (s[pos] !== ")") fail("expected )");
      pos++;
      return n;
    }
    if (c === "-") {
      pos++;
      return { k: "neg", a: primary() };
    }
    if (c === "+") {
      pos++;
      return primary();
    }
    if (c === "#" && s[pos + 1] === "{") {
      const end = s.indexOf("}", pos);
      if (end < 0) fail("unclosed #{");
      const ref = s.slice(pos + 2, end);
      pos = end + 1;
      const [de, coc] = ref.split(".");
      if (!de) fail("empty #{}");
      const key = `${de}.${coc && coc !== "*" ? coc : ""}`;
      let i = keys.get(key);
      if (i === undefined) {
        i = items.length;
        keys.set(key, i);
        items.push({ dataElement: de as string, categoryOptionCombo: coc && coc !== "*" ? coc : undefined });
      }
      return { k: "item", i };
    }
    const num = /^\d+(\.\d+)?([eE][-+]?\d+)?/.exec(s.slice(pos));
    if (num) {
      pos += num[0].length;
      return { k: "num", v: Number(num[0]) };
    }
    return fail(c === undefined ? "unexpected end" : `unexpected "${c}"`);
  };
  const product = (): Node => {
    let n = primary();
    for (;;) {
      ws();
      const c = s[pos];
      if (c !== "*" && c !== "/") return n;
      pos++;
      n = { k: "bin", op: c, a: n, b: primary() };
    }
  };
  const sum = (): Node => {
    let n = product();
    for (;;) {
      ws();
      const c = s[pos];
      if (c !== "+" && c !== "-") return n;
      pos++;
      n = { k: "bin", op: c, a: n, b: product() };
    }
  };
  const root = sum();
  ws();
  if (pos < s.length) fail(`unexpected "${s[pos]}"`);

  const run = (n: Node, v: readonly (number | undefined)[]): number => {
    switch (n.k) {
      case "num":
        return n.v;
      case "item":
        return v[n.i] ?? 0;
      case "neg":
        return -run(n.a, v);
      case "bin": {
        const a = run(n.a, v);
        const b = run(n.b, v);
        return n.op === "+" ? a + b : n.op === "-" ? a - b : n.op === "*" ? a * b : a / b;
      }
    }
  };
  return {
    items,
    evaluate(values) {
      if (items.length > 0 && values.every((x) => x === undefined)) return undefined;
      const r = run(root, values);
      return Number.isFinite(r) ? r : undefined;
    },
  };
}
