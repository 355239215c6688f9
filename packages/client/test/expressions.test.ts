/**
 * The expression parser: what DHIS2's grammar (dhis2-antlr-expression-parser 1.0.39) accepts in
 * each context, how it binds operators, and where it says an expression breaks.
 */
import {
  type ExpressionContext,
  type ExpressionNode,
  ExpressionSyntaxError,
  parseExpression,
} from "@dhis2w/client";
import { describe, expect, it } from "vitest";

const DE = "fbfJHSPpUQD";
const COC = "pq2XI5kz2BY";

/** The tree as a compact Lisp-like string, to read binding at a glance. */
function shape(n: ExpressionNode | undefined): string {
  if (!n) return "";
  switch (n.type) {
    case "number":
      return n.text;
    case "string":
      return JSON.stringify(n.value);
    case "boolean":
      return String(n.value);
    case "null":
      return "null";
    case "item":
      return n.text;
    case "variable":
      return n.name;
    case "group":
      return shape(n.expr);
    case "unary":
      return `(${n.op} ${shape(n.arg)})`;
    case "binary":
      return `(${n.op} ${shape(n.left)} ${shape(n.right)})`;
    case "call":
      return `${n.name}(${n.args.map(shape).join(" ")})`;
    case "orgUnitFunction":
      return `orgUnit.${n.name}(${n.uids.map((u) => u.uid).join(" ")})`;
    case "dotCall":
      return `${shape(n.target)}.${n.name}(${n.arg ?? ""})`;
  }
}

const fails = (source: string, context?: ExpressionContext) => {
  try {
    parseExpression(source, { context });
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return e;
    throw e;
  }
  throw new Error(`${source} parsed`);
};

describe("parseExpression", () => {
  it("binds operators with DHIS2's precedence: ^ over unary minus over * over + over comparisons over && over ||", () => {
    expect(shape(parseExpression("-2^2").root)).toBe("(- (^ 2 2))");
    expect(shape(parseExpression("2^-3*4").root)).toBe("(* (^ 2 (- 3)) 4)");
    expect(shape(parseExpression("2^3^2").root)).toBe("(^ 2 (^ 3 2))");
    expect(shape(parseExpression("1+2*3-4/5%6").root)).toBe("(- (+ 1 (* 2 3)) (% (/ 4 5) 6))");
    expect(
      shape(parseExpression("1 < 2 == 3 > 4 and not 5 or 6", { context: "predictorSkipTest" }).root),
    ).toBe("(|| (&& (== (< 1 2) (> 3 4)) (! 5)) 6)");
  });

  it("reads every data item form and collects the items in source order", () => {
    const src = `#{${DE}} + #{${DE}.${COC}} + #{${DE}.*} + #{${DE}.${COC}.*} + #{${DE}.*.${COC}} + #{${DE}.${COC}.${COC}} + C{${COC}} + OUG{${COC}} + R{${DE}.REPORTING_RATE} + [days]`;
    const { items } = parseExpression(src);
    expect(items.map((i) => i.text)).toEqual([
      `#{${DE}}`,
      `#{${DE}.${COC}}`,
      `#{${DE}.*}`,
      `#{${DE}.${COC}.*}`,
      `#{${DE}.*.${COC}}`,
      `#{${DE}.${COC}.${COC}}`,
      `C{${COC}}`,
      `OUG{${COC}}`,
      `R{${DE}.REPORTING_RATE}`,
    ]);
    expect(items[4]).toMatchObject({ uid0: DE, uid2: COC });
    expect(items[4]?.uid1).toBeUndefined();
    expect(items[3]).toMatchObject({ uid1: COC, wildcard: true });
  });

  it("takes functions, comments, whitespace between expressions, and the empty expression", () => {
    const tree = parseExpression(
      `if(isNull(#{${DE}}), firstNonNull(#{${DE}.${COC}}, 0), greatest(1, least(2, 3))) /* a comment */ + log(100, 10) + log10(1000)`,
    );
    expect(shape(tree.root)).toBe(
      `(+ (+ if(isNull(#{${DE}}) firstNonNull(#{${DE}.${COC}} 0) greatest(1 least(2 3))) log(100 10)) log10(1000))`,
    );
    expect(shape(parseExpression(`is(#{${DE}} in 1, 2)`).root)).toBe(`is(#{${DE}} 1 2)`);
    expect(shape(parseExpression(`orgUnit.group( ${DE} , ${COC} )`).root)).toBe(
      `orgUnit.group(${DE} ${COC})`,
    );
    expect(shape(parseExpression(`count(distinct #{${DE}})`, { context: "predictor" }).root)).toBe(
      `count(#{${DE}})`,
    );
    expect(shape(parseExpression(`#{${DE}}.periodOffset(-1)`, { context: "indicator" }).root)).toBe(
      `#{${DE}}.periodOffset(-1)`,
    );
    expect(parseExpression("").root).toBeUndefined();
  });

  it("says where a broken expression breaks", () => {
    expect(fails(`#{${DE}} +`)).toMatchObject({ position: 16, kind: "syntax" });
    expect(fails(`#{${DE}`).reason).toBe('expected "}" but found the end of the expression');
    expect(fails(`#{ ${DE}}`)).toMatchObject({ position: 2 });
    expect(fails("(1 + 2").position).toBe(6);
    expect(fails("1 @ 2")).toMatchObject({ position: 2, reason: 'unexpected character "@"' });
    expect(fails("if (1, 2, 3)").reason).toBe('unexpected "if": write "if(" with no space before "("');
    expect(fails("if(1, 2)").reason).toBe("if() needs at least 3 arguments");
    expect(fails("log(1, 2, 3)").reason).toBe("log() takes at most 2 argument(s)");
    expect(fails("#{abcdef}").reason).toMatch(/expected a data element UID after "#\{"/);
    expect(fails("05").reason).toBe('unexpected "5"');
    const multi = fails("1 +\n  * 2");
    expect([multi.line, multi.character, multi.position]).toEqual([2, 2, 6]);
    expect(multi.pointer()).toBe("  * 2\n  ^");
  });

  it("refuses what the context does not allow, as DHIS2's item maps do", () => {
    expect(fails(`sum(#{${DE}})`)).toMatchObject({ kind: "unsupported", position: 0 });
    expect(() => parseExpression(`sum(#{${DE}})`, { context: "predictor" })).not.toThrow();
    expect(fails(`N{${DE}}`, "validationRule").kind).toBe("unsupported");
    expect(() => parseExpression(`N{${DE}}`, { context: "indicator" })).not.toThrow();
    expect(fails(`orgUnit.group(${DE})`, "indicator").kind).toBe("unsupported");
    expect(fails(`variance(#{${DE}})`, "predictor").kind).toBe("unsupported");
    expect(fails("d2:round(1)").reason).toMatch(/for program rules and program indicators/);
    expect(fails(`#{${DE}}.periodOffset(1)`, "validationRule").message).toMatch(
      /\.periodOffset\( is not supported in validation rule expressions/,
    );
  });
});
