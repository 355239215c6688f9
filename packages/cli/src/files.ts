/** Reading JSON inputs (plain or gzipped) with errors that name the file. */
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { UserError } from "./errors.js";

/**
 * Parses a JSON file (`.gz` is gunzipped); a missing file or bad JSON is a {@link UserError}
 * naming the file.
 *
 * @example
 * ```ts
 * const bundle = await readJsonFile("metadata.json");
 * ```
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === "ENOENT" ? `file not found: ${path}` : `cannot read ${path}: ${code}`, {
      cause: error,
    });
  }
  try {
    const text = path.toLowerCase().endsWith(".gz")
      ? gunzipSync(bytes).toString("utf8")
      : bytes.toString("utf8");
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${path} is not valid JSON${path.endsWith(".gz") ? " (gzip)" : ""}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** The object at the top of a JSON file, or a {@link UserError}. */
export function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UserError(`${path}: expected a JSON object at the top level`);
  }
  return value as Record<string, unknown>;
}
