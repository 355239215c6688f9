/**
 * Evaluates a parsed DHIS2 expression with DHIS2's semantics (dhis2-core 2.41-2.43
 * `DefaultExpressionService.getExpressionValue`, `CommonExpressionVisitor`, `ExpressionState`,
 * the operators and functions of dhis2-antlr-expression-parser):
 *
 * - a data item without a value counts as missing and, outside `isNull`/`isNotNull`/
 *   `firstNonNull`, is replaced by its type's null value (0, false, ""); the missing value
 *   strategy then looks at how many items were found and how many had values
 *   (SKIP_IF_ANY_VALUE_MISSING, SKIP_IF_ALL_VALUES_MISSING, NEVER_SKIP);
 * - arithmetic is BigDecimal's (`0.1 + 0.2` is 0.3), division by zero gives NaN, and a null or
 *   NaN operand ends the operation at once (its right side is not even looked at);
 * - `&&` and `||` are three-valued and short-circuit, `if` evaluates one branch;
 * - aggregation functions (`sum(`, `avg(`, ... predictors only) evaluate their argument once per
 *   sample period, applying the missing value strategy to each sample;
 * - `OUG{}` is 0 in validation rules and predictors (they pass no org unit count map);
 * - a type error (a boolean where a number is needed, an unknown constant) makes the whole
 *   expression 0, as DHIS2 logs its `ParserException` and returns `DOUBLE_VALUE_IF_NULL`.
 *
 * The `describe` mode is DHIS2's `ITEM_GET_DESCRIPTIONS` pass: every object must exist, every
 * branch is visited, and items stand for their type's null value.
 */
import type { CallNode, ExpressionNode, ItemNode } from "@dhis2w/client";
import { aggregate, normalCumulative, normalDensity } from "./aggregates.js";
import { add, divide, multiply, power, remainder, subtract } from "./java-numbers.js";
import {
  castBoolean,
  castDouble,
  castString,
  compare,
  type EvaluationEnv,
  ExpressionEvaluationError,
  type ItemValue,
  type ItemValueType,
  invalid,
  type Value,
} from "./values.js";

export {
  castBoolean,
  castDouble,
  castString,
  type EvaluationEnv,
  ExpressionEvaluationError,
  type ItemValue,
  type ItemValueType,
  type MissingValueStrategy,
  type OrgUnitFacts,
  type Value,
} from "./values.js";

/** The result of describing: the item texts and the names they stand for. */
export interface DescribeEnv {
  /** The item's display name and value type, or throws `ExpressionEvaluationError` (it does not exist). */
  readonly describe: (item: ItemNode) => { name: string; valueType: ItemValueType };
  readonly constantName: (uid: string) => string | undefined;
  /** Display names of the objects `orgUnit.*` functions name (undefined: no such object). */
  readonly objectName: (
    kind: "ancestor" | "dataSet" | "group" | "program",
    uid: string,
  ) => string | undefined;
}

class Visitor {
  replaceNulls = true;
  itemsFound = 0;
  itemValuesFound = 0;
  nullDate = false;
  readonly descriptions = new Map<string, string>();
  #item: (item: ItemNode) => ItemValue;

  constructor(
    readonly env: EvaluationEnv,
    readonly describing?: DescribeEnv,
  ) {
    this.#item = env.item;
  }

  handleNulls(value: Value, type: ItemValueType): Value {
    if (!this.replaceNulls) return value;
    this.itemsFound++;
    if (value === null && type === "date") {
      this.nullDate = true;
      return null;
    }
    if (value === null) return type === "number" ? 0 : type === "boolean" ? false : "";
    this.itemValuesFound++;
    return value;
  }

  allowingNulls(node: ExpressionNode): Value {
    const saved = this.replaceNulls;
    this.replaceNulls = false;
    const v = this.visit(node);
    this.replaceNulls = saved;
    return v;
  }

  visit(node: ExpressionNode): Value {
    switch (node.type) {
      case "number":
      case "string":
      case "boolean":
        return node.value;
      case "null":
        this.replaceNulls = false;
        return null;
      case "group":
        return this.visit(node.expr);
      case "variable":
        if (node.name !== "[days]") throw new ExpressionEvaluationError(`Item ${node.name} not supported`);
        if (this.describing) this.descriptions.set(node.name, "[Number of days]");
        return this.describing ? 0 : (this.env.days ?? null);
      case "item":
        return this.#itemValue(node);
      case "unary": {
        if (node.op === "!") {
          const b = castBoolean(this.visit(node.arg));
          return b === null ? null : !b;
        }
        const v = this.visit(node.arg);
        if (invalid(v)) return v;
        const n = castDouble(v) as number;
        return node.op === "-" ? -n : n;
      }
      case "binary":
        return this.#binary(node.op, node.left, node.right);
      case "call":
        return this.#call(node);
      case "orgUnitFunction":
        return this.#orgUnitFunction(node);
      case "dotCall":
        // Query modifiers (min/max dates, offsets) only filter what is fetched; the emulator's
        // predictors fetch stored values as they are.
        return this.visit(node.target);
    }
  }

  #itemValue(node: ItemNode): Value {
    if (node.symbol === "C{") {
      if (this.describing) {
        const name = this.describing.constantName(node.uid0);
        if (name === undefined) throw new ExpressionEvaluationError(`No constant defined for ${node.uid0}`);
        this.descriptions.set(node.text, name);
        return 0;
      }
      const c = this.env.constant(node.uid0);
      if (c === undefined)
        throw new ExpressionEvaluationError(`Can't find constant to evaluate ${node.uid0}`);
      return c;
    }
    if (node.symbol === "OUG{") {
      if (this.describing) {
        const name = this.describing.objectName("group", node.uid0);
        if (name === undefined)
          throw new ExpressionEvaluationError(`No organization unit group defined for ${node.uid0}`);
        this.descriptions.set(node.text, name);
      }
      return 0;
    }
    if (this.describing) {
      const { name, valueType } = this.describing.describe(node);
      this.descriptions.set(node.text, name);
      return valueType === "number" ? 0 : valueType === "boolean" ? false : "";
    }
    const { value, valueType } = this.#item(node);
    return this.handleNulls(value, valueType);
  }

  #binary(op: string, left: ExpressionNode, right: ExpressionNode): Value {
    if (op === "&&" || op === "||") {
      const a = castBoolean(this.visit(left));
      if (this.describing) {
        const b = castBoolean(this.visit(right));
        if (op === "&&") return a ? b : true;
        return a === null ? (b === false ? null : b) : a ? a : b;
      }
      if (op === "&&") return a === true ? castBoolean(this.visit(right)) : a;
      if (a === null) {
        const b = castBoolean(this.visit(right));
        return b === false ? null : b;
      }
      return a ? a : castBoolean(this.visit(right));
    }
    const compareOp = ["<", ">", "<=", ">=", "==", "!="].includes(op);
    const a = this.visit(left);
    if (compareOp ? a === null : invalid(a)) return a;
    const b = this.visit(right);
    if (compareOp ? b === null : invalid(b)) return b;
    if (compareOp) {
      const c = compare(a, b);
      return op === "<"
        ? c < 0
        : op === ">"
          ? c > 0
          : op === "<="
            ? c <= 0
            : op === ">="
              ? c >= 0
              : op === "=="
                ? c === 0
                : c !== 0;
    }
    const x = castDouble(a) as number;
    const y = castDouble(b) as number;
    switch (op) {
      case "+":
        return add(x, y);
      case "-":
        return subtract(x, y);
      case "*":
        return multiply(x, y);
      case "/":
        return divide(x, y);
      case "%":
        return remainder(x, y);
      default:
        return power(x, y);
    }
  }

  #compute(args: readonly ExpressionNode[], fn: (values: Value[]) => Value): Value {
    const values: Value[] = [];
    for (const arg of args) {
      const v = this.visit(arg);
      if (invalid(v)) return v;
      values.push(v);
    }
    return fn(values);
  }

  #call(node: CallNode): Value {
    const args = node.args;
    const all = this.describing !== undefined;
    switch (node.name) {
      case "if": {
        const c = castBoolean(this.visit(args[0] as ExpressionNode));
        if (all) {
          const a = this.visit(args[1] as ExpressionNode);
          const b = this.visit(args[2] as ExpressionNode);
          if (typeof a === "number" && b !== null) castDouble(b);
          if (typeof a === "boolean" && b !== null) castBoolean(b);
          return c ? a : b;
        }
        if (c === null) return null;
        return this.visit((c ? args[1] : args[2]) as ExpressionNode);
      }
      case "isNull":
        return this.allowingNulls(args[0] as ExpressionNode) === null;
      case "isNotNull":
        return this.allowingNulls(args[0] as ExpressionNode) !== null;
      case "firstNonNull": {
        let found: Value = null;
        for (const arg of args) {
          const v = this.allowingNulls(arg);
          if (v !== null && found === null) {
            found = v;
            if (!all) break;
          }
        }
        return found;
      }
      case "greatest":
      case "least": {
        const sign = node.name === "greatest" ? 1 : -1;
        const values = args.map((a) => castDouble(this.visit(a)));
        let best: number | null = null;
        for (const v of values) if (best === null || (v !== null && (v - best) * sign > 0)) best = v;
        return best;
      }
      case "log":
        return this.#compute(args, (v) =>
          v.length === 1
            ? Math.log(castDouble(v[0] as Value) as number)
            : Math.log(castDouble(v[0] as Value) as number) / Math.log(castDouble(v[1] as Value) as number),
        );
      case "log10":
        return this.#compute(args, (v) => Math.log10(castDouble(v[0] as Value) as number));
      case "removeZeros": {
        const v = this.visit(args[0] as ExpressionNode);
        if (v === 0 && !Object.is(v, -0)) {
          this.replaceNulls = false;
          return null;
        }
        return v;
      }
      case "is": {
        const values = args.map((a) => this.visit(a));
        return values.slice(1).some((v) => compare(values[0] as Value, v) === 0);
      }
      case "contains":
      case "containsItems": {
        const [first, ...rest] = args.map((a) => castString(this.visit(a)));
        if (first === null || first === undefined)
          throw new ExpressionEvaluationError("contains(): no value to search");
        const pool = node.name === "containsItems" ? new Set(first.split(",")) : undefined;
        return rest.every((s) => s !== null && (pool ? pool.has(s) : first.includes(s)));
      }
      case "normDistCum":
      case "normDistDen":
        return this.#compute(args, (v) => {
          const [x, mean = 0, sd = 1] = v.map((a) => castDouble(a) as number) as [number, number?, number?];
          return node.name === "normDistDen" ? normalDensity(x, mean, sd) : normalCumulative(x, mean, sd);
        });
      default:
        return this.#vector(node);
    }
  }

  /** dhis2-core `VectorFunction`: the last argument over the sample periods, the others as usual. */
  #vector(node: CallNode): Value {
    const extra = node.args.slice(0, -1).map((a) => castDouble(this.visit(a)));
    const last = node.args[node.args.length - 1] as ExpressionNode;
    const counting = node.name === "count";
    const savedFound = this.itemsFound;
    const savedValues = this.itemValuesFound;
    const values: Value[] = [];
    const samples = this.describing ? [this.#item] : (this.env.samples ?? []);
    const own = this.#item;
    for (const sample of samples) {
      this.itemsFound = 0;
      this.itemValuesFound = 0;
      this.#item = sample;
      let v: Value = this.visit(last);
      v = counting ? castString(v) : castDouble(v);
      this.#item = own;
      const mvs = this.env.missingValueStrategy;
      if (
        (mvs === "SKIP_IF_ANY_VALUE_MISSING" && this.itemValuesFound < this.itemsFound) ||
        (mvs === "SKIP_IF_ALL_VALUES_MISSING" && this.itemsFound !== 0 && this.itemValuesFound === 0)
      ) {
        v = null;
      }
      if (v !== null) values.push(v);
    }
    let found = savedFound;
    let withValues = savedValues;
    if (this.itemsFound > 0) {
      found++;
      if (values.length > 0) withValues++;
    }
    this.itemsFound = found;
    this.itemValuesFound = withValues;
    return this.handleNulls(aggregate(node.name, values, extra[0] ?? null), "number");
  }

  #orgUnitFunction(node: Extract<ExpressionNode, { type: "orgUnitFunction" }>): Value {
    if (this.describing) {
      for (const { uid } of node.uids) {
        const name = this.describing.objectName(node.name, uid);
        if (name === undefined) throw new ExpressionEvaluationError(`No ${node.name} defined for ${uid}`);
        this.descriptions.set(uid, name);
      }
      return false;
    }
    const ou = this.env.orgUnit;
    if (!ou) return false;
    const pool =
      node.name === "ancestor"
        ? ou.ancestors
        : node.name === "group"
          ? ou.groups
          : node.name === "dataSet"
            ? ou.dataSets
            : ou.programs;
    return node.uids.some(({ uid }) => pool.has(uid));
  }
}

function castResult(v: Value, dataType: EvaluationEnv["dataType"]): Value {
  return dataType === "NUMERIC" ? castDouble(v) : dataType === "BOOLEAN" ? castBoolean(v) : castString(v);
}

/**
 * DHIS2's `getExpressionValue`: the value of the expression, or null when the missing value
 * strategy skips it (or it is empty).
 *
 * @example
 * evaluateExpression(parseExpression("#{a1234567890} + 1").root, env); // 1 when the item is missing and NEVER_SKIP
 */
export function evaluateExpression(root: ExpressionNode | undefined, env: EvaluationEnv): Value {
  if (!root) return null;
  const v = new Visitor(env);
  let value: Value;
  try {
    value = castResult(v.visit(root), env.dataType);
  } catch (error) {
    if (!(error instanceof ExpressionEvaluationError)) throw error;
    value = 0;
  }
  if (v.nullDate) return null;
  const mvs = env.missingValueStrategy;
  if (mvs === "SKIP_IF_ANY_VALUE_MISSING" && v.itemValuesFound < v.itemsFound) return null;
  if (mvs === "SKIP_IF_ALL_VALUES_MISSING" && v.itemsFound !== 0 && v.itemValuesFound === 0) return null;
  if (value === null && v.replaceNulls)
    return env.dataType === "NUMERIC" ? 0 : env.dataType === "BOOLEAN" ? false : "";
  return value;
}

/**
 * DHIS2's `getExpressionDescription`: the expression with each item's text replaced by its
 * object's name; throws `ExpressionEvaluationError` when an object does not exist or the
 * expression does not give the context's type (DHIS2: "Expression is not well-formed").
 */
export function describeExpressionText(
  source: string,
  root: ExpressionNode | undefined,
  describing: DescribeEnv,
  dataType: EvaluationEnv["dataType"],
): string {
  if (!root) return "";
  const env: EvaluationEnv = {
    item: () => ({ value: null, valueType: "number" }),
    constant: () => undefined,
    missingValueStrategy: "NEVER_SKIP",
    dataType,
  };
  const v = new Visitor(env, describing);
  castResult(v.visit(root), dataType);
  let description = source;
  for (const [text, name] of v.descriptions) description = description.split(text).join(name);
  return description;
}
