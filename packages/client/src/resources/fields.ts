import { QueryValidationError } from "./errors.js";

/**
 * DHIS2's field presets (`:name`). Source: dhis2/dhis2-core
 * `dhis-api/src/main/java/org/hisp/dhis/fieldfiltering/FieldPreset.java`.
 */
export const FIELD_PRESETS = [
  "all",
  "id",
  "code",
  "idName",
  "identifiable",
  "nameable",
  "owner",
  "persisted",
  "simple",
] as const;

/** What `fields` accepts: one DHIS2 field string, or several joined with commas. */
export type FieldsOption = string | readonly string[];

/** One node of a parsed fields string. */
export interface FieldNode {
  /** The property name, `*`, or a preset such as `:identifiable`. */
  readonly name: string;
  /** True for `!name` / `-name` (exclude). */
  readonly exclude: boolean;
  /** Transformers such as `rename(alias)`, `size`, `isEmpty`. */
  readonly transforms: readonly { readonly type: string; readonly args: readonly string[] }[];
  readonly children: readonly FieldNode[];
}

const NAME = /[A-Za-z0-9_.-]/;
const OPEN_TO_CLOSE: Record<string, string> = { "[": "]", "(": ")" };

/**
 * Parses (and so validates) a DHIS2 fields string, following the grammar documented in dhis2/dhis2-core
 * `dhis-api/src/main/java/org/hisp/dhis/common/input/Fields.java`:
 * `field = marker? name transform* ('[' fields ']')?`, markers `:` `!` `-`, transforms `~name(args)`.
 * Throws {@link QueryValidationError} with the position of the first bad character.
 *
 * @example
 * ```ts
 * parseFields("id,name,children[id,name~rename(label)]");
 * ```
 */
export function parseFields(fields: string): FieldNode[] {
  const p = new FieldsParser(fields);
  const nodes = p.list(undefined);
  return nodes;
}

/** Validates `fields` and returns the string to send. */
export function buildFieldsParam(fields: FieldsOption | undefined): string | undefined {
  if (fields === undefined) return undefined;
  const text = typeof fields === "string" ? fields : fields.join(",");
  parseFields(text);
  return text;
}

class FieldsParser {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(why: string): never {
    const found = this.i < this.s.length ? `"${this.s[this.i]}"` : "the end";
    const caret = `${" ".repeat(this.i)}^`;
    throw new QueryValidationError(
      `invalid fields "${this.s}": ${why} at position ${this.i}, found ${found}\n  ${this.s}\n  ${caret}`,
      "fields",
      this.s.slice(Math.max(0, this.i - 10), this.i + 10),
    );
  }

  private skipSpaces(): void {
    while (this.s[this.i] === " ") this.i++;
  }

  list(close: string | undefined): FieldNode[] {
    const nodes: FieldNode[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.s[this.i];
      if (c === undefined) {
        if (close) this.fail(`unclosed bracket: expected "${close}"`);
        return nodes;
      }
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "]" || c === ")") {
        if (c !== close) this.fail(close ? `expected "${close}"` : "unbalanced closing bracket");
        this.i++;
        return nodes;
      }
      nodes.push(this.field());
      this.skipSpaces();
      const after = this.s[this.i];
      if (after !== undefined && after !== "," && after !== "]" && after !== ")") this.fail('expected ","');
    }
  }

  private name(): string {
    const start = this.i;
    while (this.i < this.s.length && NAME.test(this.s[this.i] ?? "")) this.i++;
    if (this.i === start) this.fail("expected a field name");
    return this.s.slice(start, this.i);
  }

  private field(): FieldNode {
    let exclude = false;
    let name: string;
    const c = this.s[this.i];
    if (c === "*") {
      this.i++;
      name = "*";
    } else if (c === ":") {
      this.i++;
      const preset = this.name();
      if (!(FIELD_PRESETS as readonly string[]).includes(preset)) {
        this.i -= preset.length;
        this.fail(`unknown preset ":${preset}" (known: ${FIELD_PRESETS.map((p) => `:${p}`).join(", ")})`);
      }
      name = `:${preset}`;
    } else {
      if (c === "!" || c === "-") {
        exclude = true;
        this.i++;
      }
      name = this.name();
    }
    const transforms: Array<{ type: string; args: string[] }> = [];
    while (
      this.s[this.i] === "~" ||
      this.s[this.i] === "|" ||
      this.s[this.i] === "@" ||
      this.s[this.i] === ":"
    ) {
      this.i++;
      if (this.s[this.i] === ":") this.i++; // the legacy `::rename(...)` form
      const type = this.name();
      const args: string[] = [];
      if (this.s[this.i] === "(") {
        const end = this.s.indexOf(")", this.i);
        if (end < 0) this.fail(`unclosed "(" in transformer "${type}"`);
        args.push(
          ...this.s
            .slice(this.i + 1, end)
            .split(/[,;]/)
            .map((a) => a.trim())
            .filter((a) => a !== ""),
        );
        this.i = end + 1;
      }
      transforms.push({ type, args });
    }
    let children: FieldNode[] = [];
    const open = this.s[this.i];
    if (open === "[" || open === "(") {
      this.i++;
      children = this.list(OPEN_TO_CLOSE[open]);
    }
    return { name, exclude, transforms, children };
  }
}
