/**
 * Cross-version sharing. Each version's output is first described as a list of declarations
 * (`Decl`: a model interface, an enum, a validator, a resource-table entry, a property
 * descriptor, ...) whose text refers to other declarations through markers instead of names.
 * Two versions can share a declaration when its text is identical AND every declaration it refers
 * to is shared by them too (a `DataElement` interface whose text matches but whose
 * `CategoryCombo` differs must not be shared). That is the coarsest stable partition of the
 * versions per declaration, found by refinement: start from "same text", split by the classes of
 * the dependencies until nothing splits. A declaration shared by a set of versions is emitted
 * once, in `shared/<kind>-<versions>.gen.ts`; a dependency's set always contains the dependent's
 * set, so shared files only import files of larger sets and never form a cycle.
 */

/** Which generated file a declaration belongs in. */
export type FileKind = "models" | "validators" | "resources";

export interface Decl {
  /** Unique within one version, prefixed by kind ("m:DataElement", "o:opt(z.string())"). */
  readonly key: string;
  readonly kind: FileKind;
  /** Order inside a file (lower first): a const must come after the consts it reads. */
  readonly rank: number;
  /**
   * "raw": `text` is the whole statement, public, with its own `export`. "const": `text` is an
   * initializer, emitted as `const NAME = text wrap;` (exported only from shared files).
   */
  readonly form: "raw" | "const";
  /** The TypeScript name; absent for consts named `<prefix><n>` per file or after `baseName`. */
  readonly name?: string;
  readonly prefix?: string;
  /**
   * A meaningful name shared by related consts (`categoryComboRef`): the most used one gets it,
   * the others `categoryComboRef2`, ... (unique across every file, so imports never clash).
   */
  readonly baseName?: string;
  /** Appended to `text` when emitted as a const (`as const`, `satisfies X`), not when inlined. */
  readonly wrap?: string;
  /** The declared type of a const (`const x: T = ...`): keeps literal types out of `.d.ts` files. */
  readonly annotation?: string;
  /** Written in place (not as a const) when exactly one emitted declaration refers to it, once. */
  readonly inlinable?: boolean;
  /** False when only a type is exported (re-exported with `export type`). */
  readonly value: boolean;
  /** Canonical text: references are `RefTable.ref(key)` markers, replaced by names when written. */
  readonly text: string;
}

/** `map.get(key)`, first setting it to `init()` when absent. */
export function getOr<K, V>(map: Map<K, V>, key: K, init: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = init();
    map.set(key, v);
  }
  return v;
}

const MARK = /\uE000(\d+)\uE001/g;

/** Interns declaration keys as marker numbers, so keys may contain markers themselves. */
export class RefTable {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  /** The marker standing for the declaration `key` in a text. */
  ref(key: string): string {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
    }
    return `\uE000${id}\uE001`;
  }
  keyOf(id: number): string {
    const k = this.keys[id];
    if (k === undefined) throw new Error(`unknown reference marker ${id}`);
    return k;
  }
  /** Keys referred to by a text, in order of appearance, repeats included. */
  refsIn(text: string): string[] {
    return [...text.matchAll(MARK)].map((m) => this.keyOf(Number(m[1])));
  }
  /** Replaces every marker by `f(key)`; `indent` is the whitespace that starts the marker's line. */
  replace(text: string, f: (key: string, indent: string) => string): string {
    return text.replace(MARK, (_m, id: string, offset: number) => {
      const lineStart = text.lastIndexOf("\n", offset) + 1;
      const indent = /^[ ]*/.exec(text.slice(lineStart))?.[0] ?? "";
      return f(this.keyOf(Number(id)), indent);
    });
  }
}

/** The declarations of one version, in emission order. */
export interface VersionDecls {
  readonly versionKey: string;
  readonly decls: readonly Decl[];
}

/**
 * For every declaration key and version, the versions that can share it (sorted as given).
 * Versions without the key are absent from the map.
 */
export type Groups = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

export function partition(versions: readonly VersionDecls[], refs: RefTable): Groups {
  const byKey = new Map<string, Map<string, Decl>>();
  for (const { versionKey, decls } of versions) {
    for (const d of decls) {
      const m = getOr(byKey, d.key, () => new Map<string, Decl>());
      if (m.has(versionKey)) throw new Error(`${versionKey}: declaration ${d.key} given twice`);
      m.set(versionKey, d);
    }
  }
  const deps = new Map<Decl, string[]>();
  for (const m of byKey.values()) for (const d of m.values()) deps.set(d, [...new Set(refs.refsIn(d.text))]);
  // class[key][version]: versions with equal numbers share the declaration.
  let cls = new Map<string, Map<string, number>>();
  const renumber = (sig: ReadonlyMap<string, string>): Map<string, number> => {
    const ids = new Map<string, number>();
    return new Map([...sig].map(([v, s]) => [v, ids.get(s) ?? ids.set(s, ids.size).get(s)!]));
  };
  for (const [k, m] of byKey) cls.set(k, renumber(new Map([...m].map(([v, d]) => [v, d.text]))));
  const count = (c: Map<string, Map<string, number>>) =>
    [...c.values()].reduce((n, m) => n + new Set(m.values()).size, 0);
  for (let before = count(cls); ; ) {
    const next = new Map<string, Map<string, number>>();
    for (const [k, m] of byKey) {
      const sig = new Map<string, string>();
      for (const [v, d] of m) {
        const own = cls.get(k)!.get(v)!;
        sig.set(v, [own, ...deps.get(d)!.map((dep) => cls.get(dep)?.get(v) ?? -1)].join(","));
      }
      next.set(k, renumber(sig));
    }
    cls = next;
    const after = count(cls);
    if (after === before) break;
    before = after;
  }
  const order = versions.map((v) => v.versionKey);
  const groups = new Map<string, Map<string, readonly string[]>>();
  for (const [k, m] of cls) {
    const g = new Map<string, readonly string[]>();
    for (const [v, c] of m)
      g.set(
        v,
        order.filter((w) => m.get(w) === c),
      );
    groups.set(k, g);
  }
  return groups;
}
