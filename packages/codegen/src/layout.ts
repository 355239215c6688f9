/**
 * Places the partitioned declarations in files (one per version and kind, plus one per kind and
 * shared version set), names the anonymous consts, inlines what only one place uses, and renders
 * every declaration with its markers replaced by names, recording the imports each file needs.
 */
import { type Decl, type FileKind, type Groups, getOr, type RefTable, type VersionDecls } from "./share.js";

/** One output file before its kind-specific preamble: statements plus what it imports. */
export interface LaidFile {
  readonly kind: FileKind;
  /** A version key, or the versions sharing the file joined by "-" ("v41-v42"). */
  readonly where: string;
  readonly shared: boolean;
  /** Statements in order. */
  readonly statements: string[];
  /** Same-kind names used from other files, by their `where`. */
  readonly imports: Map<string, Set<string>>;
  /** Keys of another kind used as `M.Name` (validators reading model types), by name. */
  readonly typeRefs: Map<string, string>;
  /** Declarations written here by key (to tell whether a name is declared or must be re-exported). */
  readonly declared: Map<string, string>;
  /** Version files only: public declarations living in shared files, by `where`. */
  readonly reexports: Map<string, { values: Set<string>; types: Set<string> }>;
}

interface Slot {
  readonly decls: Decl[];
  readonly rep: string;
  readonly kind: FileKind;
  readonly where: string;
  readonly shared: boolean;
}

const fileId = (kind: FileKind, where: string) => `${kind}:${where}`;

/**
 * Letters that keep the anonymous consts of shared files apart (`o12` in a version file, `oA12`
 * in the file shared by all versions, `oB3` in the next largest set, ...): the validators' shared
 * optional schemas. The resource tables name theirs (`baseName`), see emit-resources.ts.
 */
function sharedTags(wheres: Iterable<string>): Map<string, string> {
  const sets = [...new Set(wheres)].filter((w) => w.includes("-"));
  sets.sort((a, b) => b.split("-").length - a.split("-").length || (a < b ? -1 : a > b ? 1 : 0));
  const letter = (i: number): string =>
    i < 26 ? String.fromCharCode(65 + i) : letter(Math.floor(i / 26) - 1) + letter(i % 26);
  return new Map(sets.map((w, i) => [w, letter(i)]));
}

export function layout(versions: readonly VersionDecls[], groups: Groups, refs: RefTable): LaidFile[] {
  const declOf = new Map(versions.map((v) => [v.versionKey, new Map(v.decls.map((d) => [d.key, d]))]));
  const whereOf = (key: string, v: string): string => {
    const g = groups.get(key)?.get(v);
    if (!g) throw new Error(`${v}: reference to undeclared ${key}`);
    return g.length > 1 ? g.join("-") : v;
  };
  const slots = new Map<string, Slot>();
  for (const { versionKey: v, decls } of versions) {
    for (const d of decls) {
      const g = groups.get(d.key)!.get(v)!;
      if (g[0] !== v) continue;
      const where = whereOf(d.key, v);
      const id = fileId(d.kind, where);
      const slot = getOr(slots, id, () => ({ decls: [], rep: v, kind: d.kind, where, shared: g.length > 1 }));
      slot.decls.push(d);
    }
  }
  const target = (key: string, v: string) => {
    const decl = declOf.get(v)?.get(key);
    if (!decl) throw new Error(`${v}: reference to undeclared ${key}`);
    return { decl, id: fileId(decl.kind, whereOf(key, v)) };
  };
  // An inlinable declaration referred to once, by one emitted declaration, is written in place.
  const uses = new Map<string, number>();
  for (const slot of slots.values()) {
    for (const d of slot.decls) {
      for (const k of refs.refsIn(d.text)) {
        const t = target(k, slot.rep);
        if (t.decl.inlinable) uses.set(`${t.id}|${k}`, (uses.get(`${t.id}|${k}`) ?? 0) + 1);
      }
    }
  }
  const inlined = (id: string, key: string) => uses.get(`${id}|${key}`) === 1;

  // Stable sort by rank, then names per file and prefix; meaningful base names are numbered
  // across all files, most used first (ties: key order), for the consts that are not inlined.
  const names = new Map<string, string>();
  const tags = sharedTags([...slots.values()].map((s) => s.where));
  const byBase = new Map<string, Map<string, number>>();
  for (const [id, slot] of slots) {
    for (const d of slot.decls) {
      if (!d.name && d.baseName && !(d.inlinable && inlined(id, d.key))) {
        const m = getOr(byBase, d.baseName, () => new Map<string, number>());
        m.set(d.key, (m.get(d.key) ?? 0) + (uses.get(`${id}|${d.key}`) ?? 0));
      }
    }
  }
  const baseNames = new Map<string, string>();
  for (const [base, m] of byBase) {
    const order = [...m].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
    for (const [i, [k]] of order.entries()) baseNames.set(k, i === 0 ? base : `${base}${i + 1}`);
  }
  for (const [id, slot] of slots) {
    slot.decls.sort((a, b) => a.rank - b.rank);
    const counters = new Map<string, number>();
    for (const d of slot.decls) {
      let name = d.name ?? (d.baseName ? baseNames.get(d.key) : undefined);
      if (!name) {
        const n = counters.get(d.prefix ?? "c") ?? 0;
        counters.set(d.prefix ?? "c", n + 1);
        name = `${d.prefix ?? "c"}${tags.get(slot.where) ?? ""}${n}`;
      }
      names.set(`${id}|${d.key}`, name);
    }
  }
  const files: LaidFile[] = [];
  for (const [id, slot] of slots) {
    const file: LaidFile = {
      kind: slot.kind,
      where: slot.where,
      shared: slot.shared,
      statements: [],
      imports: new Map(),
      typeRefs: new Map(),
      declared: new Map(),
      reexports: new Map(),
    };
    const render = (d: Decl): string =>
      refs.replace(d.text, (k, indent) => {
        const t = target(k, slot.rep);
        if (t.decl.inlinable && inlined(t.id, k)) return render(t.decl).replace(/\n/g, `\n${indent}`);
        const name = names.get(`${t.id}|${k}`)!;
        if (t.decl.kind !== slot.kind) file.typeRefs.set(name, k);
        else if (t.id !== id) {
          const where = t.id.slice(t.id.indexOf(":") + 1);
          getOr(file.imports, where, () => new Set<string>()).add(name);
        }
        return name;
      });
    for (const d of slot.decls) {
      const name = names.get(`${id}|${d.key}`)!;
      file.declared.set(d.key, name);
      if (d.inlinable && inlined(id, d.key)) continue;
      const body = render(d);
      if (d.form === "raw") file.statements.push(body);
      else
        file.statements.push(
          `${slot.shared ? "export " : ""}const ${name}${d.annotation ? `: ${d.annotation}` : ""} = ${body}${d.wrap ? ` ${d.wrap}` : ""};`,
        );
    }
    files.push(file);
  }
  // Version files re-export the public declarations that moved to shared files.
  for (const { versionKey: v, decls } of versions) {
    for (const d of decls) {
      if (d.form !== "raw") continue;
      const where = whereOf(d.key, v);
      if (where === v) continue;
      let file = files.find((f) => f.kind === d.kind && f.where === v);
      if (!file) {
        file = {
          kind: d.kind,
          where: v,
          shared: false,
          statements: [],
          imports: new Map(),
          typeRefs: new Map(),
          declared: new Map(),
          reexports: new Map(),
        };
        files.push(file);
      }
      const r = getOr(file.reexports, where, () => ({ values: new Set<string>(), types: new Set<string>() }));
      (d.value ? r.values : r.types).add(names.get(`${fileId(d.kind, where)}|${d.key}`)!);
    }
  }
  return files;
}

/** Where a declaration of `kind` for version `v` lives, by key (for model re-exports). */
export function whereIs(groups: Groups, key: string, v: string): string {
  const g = groups.get(key)?.get(v);
  if (!g) throw new Error(`${v}: no declaration ${key}`);
  return g.length > 1 ? g.join("-") : v;
}
