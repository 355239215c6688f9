import { Dhis2ClientError } from "../errors.js";
import { CONTEXT_LABELS, type ExpressionContext } from "./contexts.js";

/**
 * An expression DHIS2 would refuse, found before any request: its syntax is broken, or it uses
 * an item or function the context does not allow (`sum(` in a validation rule). DHIS2 itself
 * only answers "Expression is not well-formed"; this error says where. `position` is the offset
 * of the offending character (0 = the first), `line` and `character` as DHIS2's parser counts
 * them (line from 1, character from 0 within the line).
 *
 * @example
 * ```ts
 * try { await client.validation.describeExpression("#{fbfJHSPpUQD} +"); }
 * catch (e) { if (e instanceof ExpressionSyntaxError) console.error(`${e.message}\n${e.pointer()}`); }
 * ```
 */
export class ExpressionSyntaxError extends Dhis2ClientError {
  override readonly name: string = "ExpressionSyntaxError";

  /** Line of the offending character, from 1. */
  readonly line: number;
  /** Character within that line, from 0. */
  readonly character: number;

  constructor(
    /** The expression as given. */
    readonly expression: string,
    readonly context: ExpressionContext,
    /** Offset of the offending character in `expression`. */
    readonly position: number,
    /** What is wrong there, e.g. `expected ")"`. */
    readonly reason: string,
    /** `syntax`: not DHIS2's grammar; `unsupported`: grammatical, but refused in this context. */
    readonly kind: "syntax" | "unsupported" = "syntax",
  ) {
    const before = expression.slice(0, position);
    const line = before.split("\n").length;
    const character = position - (before.lastIndexOf("\n") + 1);
    const label = CONTEXT_LABELS[context];
    super(
      kind === "syntax"
        ? `${label} expression ${JSON.stringify(expression)} is not well-formed: ${reason} at character ${position}`
        : `${label} expression ${JSON.stringify(expression)}: ${reason} (at character ${position})`,
    );
    this.line = line;
    this.character = character;
  }

  /**
   * The offending line with a caret under the position, for a terminal.
   *
   * @example
   * ```ts
   * console.error(error.pointer()); // "#{fbfJHSPpUQD} +\n                 ^"
   * ```
   */
  pointer(): string {
    const text = this.expression.split("\n")[this.line - 1] ?? "";
    return `${text}\n${" ".repeat(this.character)}^`;
  }
}
