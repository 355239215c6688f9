import { didYouMean, QueryValidationError } from "./errors.js";
import { propertyNames } from "./filters.js";
import type { ResourceDef, ResourceTable } from "./resource-def.js";

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

/**
 * DHIS2's field transformers (`name~rename(label)`, `children~size`, legacy `children::size`).
 * Source: dhis2/dhis2-core `dhis-service-field-filtering/.../fieldfiltering/transformers/`
 * (IsEmpty, IsNotEmpty, KeyBy, Pluck, Rename, Size); an unknown one is silently ignored by DHIS2.
 */
export const FIELD_TRANSFORMERS = ["rename", "size", "isEmpty", "isNotEmpty", "pluck", "keyBy"] as const;

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

/** Where field names are checked: the resource's table entry and the version's table (for nested selections). */
export interface FieldsContext {
  readonly def?: ResourceDef | undefined;
  readonly table?: ResourceTable | undefined;
}

/**
 * Validates `fields` (syntax always; with `ctx.def` every property name too) and returns the
 * string to send.
 */
export function buildFieldsParam(
  fields: FieldsOption | undefined,
  ctx: FieldsContext = {},
): string | undefined {
  if (fields === undefined) return undefined;
  const text = typeof fields === "string" ? fields : fields.join(",");
  const nodes = parseFields(text);
  if (ctx.def) checkFieldNames(nodes, ctx.def, bySingular(ctx.table), text, "");
  return text;
}

const singularIndex = new WeakMap<ResourceTable, Map<string, ResourceDef>>();

function bySingular(table: ResourceTable | undefined): Map<string, ResourceDef> {
  if (!table) return new Map();
  let index = singularIndex.get(table);
  if (!index) {
    index = new Map(Object.values(table).map((d) => [d.singular, d]));
    singularIndex.set(table, index);
  }
  return index;
}

/**
 * DHIS2 drops a field name its schema does not know without a word (dhis2-core `FieldPathHelper`
 * finds no property and nothing is written), so a misspelt name reads as "no such data". Every
 * name, exclusions included, is checked against the resource's properties; a nested selection
 * `ref[a,b]` is checked against the referenced resource when the table knows it (references and
 * collections of references carry `target`); complex values (`sharing`, `attributeValues`) are not.
 */
function checkFieldNames(
  nodes: readonly FieldNode[],
  def: ResourceDef,
  index: Map<string, ResourceDef>,
  whole: string,
  where: string,
): void {
  const names = propertyNames(def);
  for (const node of nodes) {
    for (const t of node.transforms) {
      if (!(FIELD_TRANSFORMERS as readonly string[]).includes(t.type)) {
        throw new QueryValidationError(
          `invalid fields "${whole}": unknown transformer "${t.type}" on "${where}${node.name}"${didYouMean(t.type, FIELD_TRANSFORMERS)} (known: ${FIELD_TRANSFORMERS.join(", ")})`,
          "fields",
          t.type,
        );
      }
    }
    if (node.name === "*" || node.name.startsWith(":")) continue;
    if (!names.has(node.name)) {
      const of = where ? `"${where.slice(0, -1)}" (${def.singular})` : def.plural;
      throw new QueryValidationError(
        `invalid fields "${whole}": ${of} has no property "${node.name}"${didYouMean(node.name, names)}`,
        "fields",
        node.name,
      );
    }
    if (node.children.length === 0) continue;
    const prop = def.properties[node.name] ?? Object.values(def.properties).find((p) => p.name === node.name);
    const target = prop?.target === undefined ? undefined : index.get(prop.target);
    if (target) checkFieldNames(node.children, target, index, whole, `${where}${node.name}.`);
  }
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
