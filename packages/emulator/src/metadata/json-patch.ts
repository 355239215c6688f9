/**
 * RFC 6902 JSON Patch over plain JSON (DHIS2 applies it with `JsonPatchManager` to the object's
 * JSON form, then imports the result with strategy UPDATE).
 */

/** One RFC 6902 operation. */
export interface JsonPatchOp {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

/** A patch that cannot be applied; answered as 400 like DHIS2's `JsonPatchException`. */
export class JsonPatchError extends Error {
  override readonly name = "JsonPatchError" as const;
  constructor(message: string) {
    super(message);
  }
}

function parsePointer(ptr: string): string[] {
  if (ptr === "") return [];
  if (!ptr.startsWith("/")) throw new JsonPatchError(`Invalid JSON pointer \`${ptr}\`: must start with "/"`);
  return ptr
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

type Container = Record<string, unknown> | unknown[];

function walk(doc: unknown, tokens: string[], ptr: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur !== null && typeof cur === "object") cur = (cur as Record<string, unknown>)[t];
    else cur = undefined;
    if (cur === undefined) throw new JsonPatchError(`Path \`${ptr}\` does not exist`);
  }
  if (cur === null || typeof cur !== "object") throw new JsonPatchError(`Path \`${ptr}\` does not exist`);
  return { parent: cur as Container, key: tokens[tokens.length - 1]! };
}

function get(doc: unknown, ptr: string): unknown {
  const tokens = parsePointer(ptr);
  if (tokens.length === 0) return doc;
  const { parent, key } = walk(doc, tokens, ptr);
  const v = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (v === undefined) throw new JsonPatchError(`Path \`${ptr}\` does not exist`);
  return v;
}

function remove(doc: unknown, ptr: string): unknown {
  const { parent, key } = walk(doc, parsePointer(ptr), ptr);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw new JsonPatchError(`Path \`${ptr}\` does not exist`);
    return parent.splice(i, 1)[0];
  }
  if (!(key in parent)) throw new JsonPatchError(`Path \`${ptr}\` does not exist`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function add(doc: unknown, ptr: string, value: unknown, replace: boolean): void {
  const { parent, key } = walk(doc, parsePointer(ptr), ptr);
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length)
      throw new JsonPatchError(`Path \`${ptr}\` does not exist`);
    if (replace) {
      if (i >= parent.length) throw new JsonPatchError(`Path \`${ptr}\` does not exist`);
      parent[i] = value;
    } else parent.splice(i, 0, value);
    return;
  }
  // DHIS2's patch manager replaces missing properties too (objects serialize absent fields as null).
  parent[key] = value;
}

/**
 * Applies `ops` to a deep copy of `doc`.
 *
 * @example
 * applyJsonPatch({ name: "a" }, [{ op: "replace", path: "/name", value: "b" }]); // { name: "b" }
 */
export function applyJsonPatch<T>(doc: T, ops: unknown): T {
  if (!Array.isArray(ops)) throw new JsonPatchError("A JSON patch must be an array of operations");
  const out = structuredClone(doc) as unknown;
  for (const raw of ops) {
    const op = raw as Partial<JsonPatchOp>;
    if (typeof op?.path !== "string" || typeof op.op !== "string") {
      throw new JsonPatchError(`Invalid patch operation ${JSON.stringify(raw)}`);
    }
    if (op.path === "") throw new JsonPatchError("Patching the whole document is not supported");
    switch (op.op) {
      case "add":
        add(out, op.path, structuredClone(op.value), false);
        break;
      case "replace":
        add(out, op.path, structuredClone(op.value), true);
        break;
      case "remove":
        remove(out, op.path);
        break;
      case "move": {
        if (typeof op.from !== "string") throw new JsonPatchError("`move` needs `from`");
        add(out, op.path, remove(out, op.from), false);
        break;
      }
      case "copy":
        if (typeof op.from !== "string") throw new JsonPatchError("`copy` needs `from`");
        add(out, op.path, structuredClone(get(out, op.from)), false);
        break;
      case "test":
        if (JSON.stringify(get(out, op.path)) !== JSON.stringify(op.value)) {
          throw new JsonPatchError(`Test failed at \`${op.path}\``);
        }
        break;
      default:
        throw new JsonPatchError(`Unknown patch operation \`${String(op.op)}\``);
    }
  }
  return out as T;
}
