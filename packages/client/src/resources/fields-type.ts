/**
 * Type-level parser of DHIS2 field strings: `Select<DataElement, "id,name,categoryCombo[id]">` is
 * `{ id: string; name?: string; categoryCombo?: { id: string } }`.
 *
 * Rules (kept small so the compiler stays fast):
 * - a non-literal `string` gives the whole model; `*` or a `:preset` the whole model with a required
 *   `id` (minus `!excluded` keys);
 * - `id` is required (DHIS2 always sends it for identifiable objects); every other key is optional,
 *   because DHIS2 leaves out properties that are null;
 * - `key[sub,fields]` narrows the nested object, or each item of a collection;
 * - `key~rename(alias)` renames; `~size` is a number; `~isEmpty`/`~isNotEmpty` a boolean;
 * - a name the model does not know is typed `unknown` (the server may still send it);
 * - `*` and presets give the whole model with each reference (`Ref<T>`) as `{ id: string }`, which
 *   is what DHIS2 sends for a reference no nested selection asked about.
 *
 * Splitting happens on top-level commas only; items without brackets take a fast path, so the
 * character-by-character scan runs only across nested brackets.
 */
import type { refTarget } from "./resource-def.js";

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;

/** Splits a fields string at its top-level commas. */
export type SplitFields<S extends string, Acc extends string[] = []> = S extends `${infer H},${infer R}`
  ? H extends `${string}[${string}`
    ? ScanNested<S, "", [], Acc>
    : SplitFields<R, [...Acc, H]>
  : [...Acc, S];

type ScanNested<
  S extends string,
  Cur extends string,
  D extends 0[],
  Acc extends string[],
> = S extends `${infer C}${infer R}`
  ? C extends "["
    ? ScanNested<R, `${Cur}[`, [...D, 0], Acc>
    : C extends "]"
      ? ScanNested<R, `${Cur}]`, D extends [0, ...infer T extends 0[]] ? T : [], Acc>
      : C extends ","
        ? D extends []
          ? SplitFields<R, [...Acc, Cur]>
          : ScanNested<R, `${Cur},`, D, Acc>
        : ScanNested<R, `${Cur}${C}`, D, Acc>
  : [...Acc, Cur];

interface Entry {
  k: string;
  v: unknown;
  r: boolean;
}

type Elem<V> = V extends readonly (infer E)[] ? E : V;

type Nest<V, Inner extends string> = V extends readonly (infer E)[]
  ? Array<Select<E, Inner>>
  : Select<V, Inner>;

type ValueOf<T, N extends string, Inner extends string | undefined> = N extends keyof T
  ? Inner extends string
    ? Nest<NonNullable<T[N]>, Inner>
    : NonNullable<T[N]>
  : unknown;

type HeadEntry<
  T,
  Head extends string,
  Inner extends string | undefined,
> = Head extends `${infer N}~rename(${infer A})`
  ? { k: A; v: ValueOf<T, N, Inner>; r: false }
  : Head extends `${infer N}~size`
    ? { k: N; v: number; r: false }
    : Head extends `${infer N}~isEmpty` | `${infer N}~isNotEmpty`
      ? { k: N; v: boolean; r: false }
      : Head extends `${infer N}~${string}`
        ? { k: N; v: unknown; r: false }
        : {
            k: Head;
            v: ValueOf<T, Head, Inner>;
            r: Head extends "id" ? ("id" extends keyof T ? true : false) : false;
          };

type ItemEntry<T, Item extends string> = Item extends ""
  ? never
  : Item extends `!${string}` | `-${string}` | `*` | `:${string}`
    ? never
    : Item extends `${infer Head}[${infer Inner}]`
      ? HeadEntry<T, Head, Inner>
      : HeadEntry<T, Item, undefined>;

type Entries<T, Items extends string[]> = { [I in keyof Items]: ItemEntry<T, Trim<Items[I]>> }[number];

type Simplify<O> = { [K in keyof O]: O[K] } & {};

type Build<E extends Entry> = Simplify<
  { [X in E as X["r"] extends true ? X["k"] : never]: X["v"] } & {
    [X in E as X["r"] extends true ? never : X["k"]]?: X["v"];
  }
>;

type IsPreset<I> = I extends "*" | `:${string}` ? true : never;

type HasPreset<Items extends string[]> = true extends IsPreset<Trim<Items[number]>> ? true : false;

type Excluded<Items extends string[]> =
  Trim<Items[number]> extends infer I ? (I extends `!${infer N}` | `-${infer N}` ? N : never) : never;

/** Presets and `*` include `id`, which DHIS2 always sends for identifiable objects. */
type WithId<T> = "id" extends keyof T ? T & { id: string } : T;

/** True for a `Ref<T>` (a reference whose target model is known). */
type IsRef<V> = typeof refTarget extends keyof V ? true : false;

/** A reference as `*` sends it: its id alone. */
export interface IdOnly {
  id: string;
}

type WireValue<V> = V extends readonly (infer E)[]
  ? IsRef<E> extends true
    ? IdOnly[]
    : V
  : IsRef<V> extends true
    ? IdOnly
    : V;

/** The model as `*` sends it: every reference (and collection of references) as `{ id }`. */
type Wire<T> = { [K in keyof T]: WireValue<T[K]> };

type WholeModel<T, Ex> = [Ex] extends [never] ? WithId<Wire<T>> : WithId<Wire<Omit<T, Ex & keyof T>>>;

/**
 * The shape DHIS2 returns for model `T` asked with `fields=F`.
 *
 * @example
 * ```ts
 * type R = Select<DataElement, "id,name,categoryCombo[id]">;
 * // { id: string; name?: string; categoryCombo?: { id: string } }
 * ```
 */
export type Select<T, F extends string> = string extends F
  ? T
  : SplitFields<F> extends infer Items extends string[]
    ? HasPreset<Items> extends true
      ? WholeModel<T, Excluded<Items>>
      : Build<Entries<T, Items>>
    : T;

/** The property name an item of a fields string is about: `!name`, `name[...]`, `name~size`, `name::size` -> `name`. */
type HeadName<I extends string> = I extends `!${infer N}` | `-${infer N}`
  ? HeadName<N>
  : I extends `${infer N}[${string}`
    ? HeadName<N>
    : I extends `${infer N}~${string}` | `${infer N}::${string}` | `${infer N}|${string}`
      ? N
      : I;

/** A name `T` has no property for, and the names it has (what the compiler offers instead). */
interface Problem {
  bad: string;
  known: string;
}

/**
 * Names of `Items` that `T` has no property for (presets and `*` are fine), at the top level and
 * inside the nested selections of references whose target is known (`categoryCombo[nmae]`), as
 * the run-time check does; the selections of embedded objects are not checked.
 */
type Problems<T, Items extends string[]> = {
  [I in keyof Items]: Trim<Items[I]> extends infer Item extends string
    ? Item extends "" | "*" | `:${string}`
      ? never
      : HeadName<Item> extends infer N extends string
        ? N extends keyof T
          ? Item extends `${string}[${infer Inner}]`
            ? NestedProblems<Elem<NonNullable<T[N]>>, Inner>
            : never
          : { bad: N; known: keyof T & string }
        : never
    : never;
}[number];

type NestedProblems<E, Inner extends string> =
  IsRef<E> extends true ? Problems<E, SplitFields<Inner>> : never;

/** `F` with the name `Bad` replaced by each known property: what the compiler offers instead ("Did you mean"). */
type WithKnownNames<
  F extends string,
  Bad extends string,
  Known extends string,
> = F extends `${infer A}${Bad}${infer Z}` ? `${A}${Known}${Z}` : never;

/**
 * `F` when every name of the literal fields string `F` is a property of `T` (nested selections of
 * references: of the target model); otherwise the strings `F` would be with the unknown name
 * replaced by each known one, so that the compiler refuses a misspelt field and suggests the right one:
 * `Type '"id,nmae"' is not assignable to type '"id,name" | "id,code" | ...'. Did you mean '"id,name"'?`.
 * A non-literal `string`, or a model without known keys, passes unchecked (the runtime checks it).
 *
 * @example
 * ```ts
 * type Ok = CheckFields<DataElement, "id,name">; // "id,name"
 * type Bad = CheckFields<DataElement, "id,nmae">; // "id,name" | "id,code" | ... (not "id,nmae")
 * ```
 */
export type CheckFields<T, F extends string> = string extends F
  ? F
  : string extends keyof T
    ? F
    : Problems<T, SplitFields<F>> extends infer P extends Problem
      ? [P] extends [never]
        ? F
        : Suggest<F, P>
      : F;

type Suggest<F extends string, P> = P extends Problem ? WithKnownNames<F, P["bad"], P["known"]> : never;

/** The item type of a collection property, or the property itself: handy for nested selections. */
export type ItemOf<T, K extends keyof T> = Elem<NonNullable<T[K]>>;

/** What DHIS2 returns from a list when no `fields` is given: `id` and `displayName`. */
export type DefaultListFields = "id,displayName";
