/**
 * `d2w datastore ...`: the data store (`/api/dataStore`), or with `--user` the user's own
 * (`/api/userDataStore`). `get` prints the value exactly as DHIS2 sent it; `set` reads the value
 * from a file, `--value`, or standard input.
 */
import { readFile } from "node:fs/promises";
import type { DataStoreChoice } from "@dhis2w/core";
import {
  dataStoreDelete,
  dataStoreGet,
  dataStoreKeys,
  dataStoreNamespaces,
  dataStoreSet,
} from "@dhis2w/core";
import type { CliContext } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError, UserError } from "../errors.js";

const storeArgs = {
  user: {
    type: "boolean",
    description: "the user data store (/api/userDataStore) instead of the shared one",
  },
  username: {
    type: "string",
    description: "with --user: another user's store (superusers only)",
    valueName: "name",
  },
} as const;

function choiceOf(args: { user: boolean; username?: string | undefined }): DataStoreChoice {
  if (args.username !== undefined && !args.user) throw new UsageError("--username needs --user");
  return { user: args.user, username: args.username };
}

const where = (choice: DataStoreChoice) =>
  choice.user
    ? choice.username
      ? `${choice.username}'s user data store`
      : "your user data store"
    : "the data store";

async function readStdin(ctx: CliContext): Promise<string> {
  const stdin = ctx.io.stdin;
  if (!stdin || stdin.isTTY) {
    throw new UsageError("datastore set: give a FILE, --value JSON, or pipe the value on standard input");
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** The value to store and where it came from (for error messages). */
async function valueSource(ctx: CliContext, file: string | undefined, inline: string | undefined) {
  if (file !== undefined && inline !== undefined)
    throw new UsageError("datastore set: give a FILE or --value, not both");
  if (inline !== undefined) return { text: inline, source: "--value" };
  if (file === undefined || file === "-") return { text: await readStdin(ctx), source: "standard input" };
  try {
    return { text: await readFile(file, "utf8"), source: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === "ENOENT" ? `file not found: ${file}` : `cannot read ${file}: ${code}`, {
      cause: error,
    });
  }
}

const get = defineCommand({
  meta: {
    name: "get",
    description: "Print a key's value exactly as DHIS2 sends it",
    examples: ["d2w datastore get my-app config", "d2w datastore get prefs theme --user"],
  },
  args: {
    namespace: { type: "positional", description: "namespace", required: true },
    key: { type: "positional", description: "key", required: true },
    ...storeArgs,
  },
  async run(args, ctx) {
    const choice = choiceOf(args);
    const entry = await dataStoreGet(
      await ctx.resolve(),
      args.namespace,
      args.key,
      choice,
      ctx.clientOptions(),
    );
    if (!entry)
      throw new UserError(`no key "${args.key}" in namespace "${args.namespace}" of ${where(choice)}`);
    if (ctx.json) return ctx.printJson({ namespace: args.namespace, key: args.key, value: entry.value });
    // Byte for byte what DHIS2 sent; a newline only for a person at a terminal.
    ctx.io.stdout.write(entry.text);
    if (ctx.io.stdout.isTTY) ctx.io.stdout.write("\n");
  },
});

const set = defineCommand({
  meta: {
    name: "set",
    description: "Create or replace a key's value (JSON from FILE, --value, or standard input)",
    examples: [
      "d2w datastore set my-app config config.json",
      'echo \'{"theme":"dark"}\' | d2w datastore set my-app config',
      "d2w datastore set prefs theme --value '\"dark\"' --user",
    ],
  },
  args: {
    namespace: { type: "positional", description: "namespace", required: true },
    key: { type: "positional", description: "key", required: true },
    file: { type: "positional", description: "JSON file with the value ('-' or none: standard input)" },
    value: { type: "string", description: "the value as JSON text", valueName: "json" },
    ...storeArgs,
  },
  async run(args, ctx) {
    const choice = choiceOf(args);
    const { text, source } = await valueSource(ctx, args.file, args.value);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = `${source} is not JSON: ${(error as Error).message}`;
      throw args.value !== undefined ? new UsageError(message) : new UserError(message, { cause: error });
    }
    let result: { created: boolean };
    try {
      result = await dataStoreSet(
        await ctx.resolve(),
        args.namespace,
        args.key,
        value,
        choice,
        ctx.clientOptions(),
      );
    } catch (error) {
      // The namespace and key come from the command line (exit 2); the value from its source.
      if ((error as { field?: unknown }).field === "value") {
        const message = `${source}: ${(error as Error).message}`;
        throw args.value !== undefined ? new UsageError(message) : new UserError(message, { cause: error });
      }
      throw error;
    }
    if (ctx.json) return ctx.printJson({ namespace: args.namespace, key: args.key, created: result.created });
    ctx.out(`${result.created ? "created" : "replaced"} ${args.namespace}/${args.key} in ${where(choice)}`);
  },
});

const list = defineCommand({
  meta: {
    name: "list",
    description: "List the namespaces, or the keys of one namespace",
    examples: ["d2w datastore list", "d2w datastore list my-app", "d2w datastore list --user --json"],
  },
  args: {
    namespace: { type: "positional", description: "namespace (none: list the namespaces)" },
    ...storeArgs,
  },
  async run(args, ctx) {
    const choice = choiceOf(args);
    const names =
      args.namespace === undefined
        ? await dataStoreNamespaces(await ctx.resolve(), choice, ctx.clientOptions())
        : await dataStoreKeys(await ctx.resolve(), args.namespace, choice, ctx.clientOptions());
    if (ctx.json) return ctx.printJson(names);
    if (names.length === 0) {
      ctx.err(
        args.namespace === undefined ? `no namespaces in ${where(choice)}` : `no keys in "${args.namespace}"`,
      );
      return;
    }
    ctx.out(names.join("\n"));
  },
});

const del = defineCommand({
  meta: {
    name: "delete",
    description: "Delete a key, or with --all every key of a namespace",
    examples: ["d2w datastore delete my-app config", "d2w datastore delete my-app --all"],
  },
  args: {
    namespace: { type: "positional", description: "namespace", required: true },
    key: { type: "positional", description: "key (or --all)" },
    all: { type: "boolean", description: "delete the whole namespace" },
    ...storeArgs,
  },
  async run(args, ctx) {
    const choice = choiceOf(args);
    if (args.key === undefined && !args.all)
      throw new UsageError("datastore delete: give a KEY, or --all for the namespace");
    if (args.key !== undefined && args.all)
      throw new UsageError("datastore delete: give a KEY or --all, not both");
    const deleted = await dataStoreDelete(
      await ctx.resolve(),
      args.namespace,
      args.key,
      choice,
      ctx.clientOptions(),
    );
    const what = args.key === undefined ? `namespace "${args.namespace}"` : `${args.namespace}/${args.key}`;
    if (!deleted) throw new UserError(`nothing to delete: no ${what} in ${where(choice)}`);
    if (ctx.json) return ctx.printJson({ namespace: args.namespace, key: args.key ?? null, deleted: true });
    ctx.out(`deleted ${what} from ${where(choice)}`);
  },
});

export default defineGroup({
  meta: { name: "datastore", description: "Read and write the data store (--user: your own)" },
  subCommands: [get, set, list, del],
});
