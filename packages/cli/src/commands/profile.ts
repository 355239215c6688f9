/** `d2w profile ...`: the profile service of `@dhis2w/core`, one command per function. */
import type { Profile } from "@dhis2w/client";
import {
  addProfile,
  createPat,
  listProfiles,
  loginProfile,
  openWithDesktop,
  type ProfileScope,
  type ProfileSummary,
  removeProfile,
  renameProfile,
  resolveProfile,
  setDefaultProfile,
  showProfile,
  verifyProfile,
} from "@dhis2w/core";
import type { CliContext } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError, UserError } from "../errors.js";
import { withoutUserinfo } from "../urls.js";

const scopeArg = {
  type: "string",
  description: "which file: global (~/.config/dhis2) or project (./.dhis2)",
  choices: ["global", "project"],
} as const;

/** `{ scope }` when `--scope` was given, else nothing (the service picks the file). */
const scoped = (scope: string | undefined): { scope?: ProfileScope } =>
  scope ? { scope: scope as ProfileScope } : {};

const summaryColumns = [
  { header: "NAME", value: (p: ProfileSummary) => p.name + (p.isDefault ? " *" : "") },
  { header: "SCOPE", value: (p: ProfileSummary) => p.scope + (p.shadowed ? " (shadowed)" : "") },
  { header: "AUTH", value: (p: ProfileSummary) => p.auth ?? "invalid" },
  { header: "URL", value: (p: ProfileSummary) => p.baseUrl ?? p.problem ?? "" },
];

/** `--flag`, else (with `--from-env`, or always for secrets) the environment variable. */
function pick(
  ctx: CliContext,
  flag: string | undefined,
  envKey: string,
  fromEnv: boolean,
  secret = false,
): string | undefined {
  if (flag !== undefined && flag !== "") return flag;
  if (!fromEnv && !secret) return undefined;
  const v = ctx.io.env[envKey]?.trim();
  return v ? v : undefined;
}

const add = defineCommand({
  meta: {
    name: "add",
    description: "Add a profile (secrets from flags or the environment; never echoed)",
    examples: [
      "d2w profile add dev --url http://localhost:8080 --auth basic --username admin   # password from DHIS2_PASSWORD",
      "d2w profile add prod --auth oauth2 --from-env --scope project --default",
    ],
  },
  args: {
    name: { type: "positional", description: "profile name", required: true },
    url: { type: "string", description: "server URL (with --from-env: DHIS2_URL)", valueName: "url" },
    auth: { type: "string", description: "pat, basic or oauth2", choices: ["pat", "basic", "oauth2"] },
    token: { type: "string", description: "PAT (else DHIS2_PAT)" },
    username: { type: "string", description: "Basic user (with --from-env: DHIS2_USERNAME)" },
    password: { type: "string", description: "Basic password (else DHIS2_PASSWORD)" },
    clientId: { type: "string", description: "OAuth2 client id (with --from-env: DHIS2_OAUTH_CLIENT_ID)" },
    clientSecret: { type: "string", description: "OAuth2 client secret (else DHIS2_OAUTH_CLIENT_SECRET)" },
    oauthScope: { type: "string", description: "OAuth2 scope (with --from-env: DHIS2_OAUTH_SCOPE)" },
    redirectUri: {
      type: "string",
      description: "OAuth2 redirect URI (with --from-env: DHIS2_OAUTH_REDIRECT_URI)",
    },
    fromEnv: { type: "boolean", description: "read the URL and credentials from DHIS2_* variables" },
    scope: { ...scopeArg, default: "global" },
    default: { type: "boolean", description: "make it the default of its file" },
    overwrite: { type: "boolean", description: "replace a profile of the same name" },
  },
  async run(args, ctx) {
    const e = args.fromEnv;
    const baseUrl = pick(ctx, args.url, "DHIS2_URL", e);
    if (!baseUrl) throw new UsageError("profile add: give --url (or --from-env with DHIS2_URL set)");
    const auth = (args.auth ?? (e ? inferAuth(ctx) : undefined)) as Profile["auth"] | undefined;
    if (!auth) throw new UsageError("profile add: give --auth pat|basic|oauth2");
    const profile: Profile = { baseUrl, auth };
    const set = (key: keyof Profile, value: string | undefined) => {
      if (value !== undefined) (profile as Record<string, unknown>)[key] = value;
    };
    if (auth === "pat") set("token", pick(ctx, args.token, "DHIS2_PAT", e, true));
    if (auth === "basic") {
      set("username", pick(ctx, args.username, "DHIS2_USERNAME", e));
      set("password", pick(ctx, args.password, "DHIS2_PASSWORD", e, true));
    }
    if (auth === "oauth2") {
      set("clientId", pick(ctx, args.clientId, "DHIS2_OAUTH_CLIENT_ID", e));
      set("clientSecret", pick(ctx, args.clientSecret, "DHIS2_OAUTH_CLIENT_SECRET", e, true));
      set("scope", pick(ctx, args.oauthScope, "DHIS2_OAUTH_SCOPE", e));
      set("redirectUri", pick(ctx, args.redirectUri, "DHIS2_OAUTH_REDIRECT_URI", e));
    }
    const missing = { pat: ["token"], basic: ["username", "password"], oauth2: ["clientId"] }[auth].filter(
      (k) => profile[k as keyof Profile] === undefined,
    );
    if (missing.length > 0) {
      throw new UsageError(`profile add: auth ${auth} needs ${missing.map(flagOf).join(" and ")}`);
    }
    const row = await addProfile(args.name, profile, {
      ...ctx.location,
      scope: args.scope as ProfileScope,
      makeDefault: args.default,
      overwrite: args.overwrite,
    });
    if (ctx.json) return ctx.printJson(row);
    ctx.out(
      `added profile "${row.name}" (${row.auth}, ${row.baseUrl}) to ${row.path}${row.isDefault ? " as default" : ""}`,
    );
  },
});

function inferAuth(ctx: CliContext): Profile["auth"] | undefined {
  const env = ctx.io.env;
  if (env.DHIS2_OAUTH_CLIENT_ID) return "oauth2";
  if (env.DHIS2_PAT) return "pat";
  if (env.DHIS2_USERNAME && env.DHIS2_PASSWORD) return "basic";
  return undefined;
}

const flagOf = (key: string) =>
  ({
    token: "--token (or DHIS2_PAT)",
    username: "--username",
    password: "--password (or DHIS2_PASSWORD)",
    clientId: "--client-id",
  })[key] ?? key;

const list = defineCommand({
  meta: { name: "list", description: "List profiles (* marks a file's default)" },
  args: { all: { type: "boolean", description: "include global profiles shadowed by project ones" } },
  async run(args, ctx) {
    const rows = await listProfiles({ ...ctx.location, includeShadowed: args.all });
    ctx.printRows(
      rows,
      summaryColumns,
      "no profiles; add one with `d2w profile add NAME --url ... --auth ...`",
    );
  },
});

const show = defineCommand({
  meta: { name: "show", description: "Show one profile (secrets as *** unless --secrets)" },
  args: {
    name: { type: "positional", description: "profile name", required: true },
    secrets: { type: "boolean", description: "print the secrets too" },
    scope: scopeArg,
  },
  async run(args, ctx) {
    const view = await showProfile(args.name, {
      ...ctx.location,
      includeSecrets: args.secrets,
      ...scoped(args.scope),
    });
    // Secrets are masked by showProfile unless asked for explicitly with --secrets.
    if (ctx.json) return ctx.printJson(view);
    const { profile, ...rest } = view;
    const lines = Object.entries({ ...rest, ...profile })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${String(v)}`);
    ctx.out(lines.join("\n"));
  },
});

const rename = defineCommand({
  meta: { name: "rename", description: "Rename a profile (its default follows)" },
  args: {
    old: { type: "positional", description: "current name", required: true },
    new: { type: "positional", description: "new name", required: true },
    scope: scopeArg,
  },
  async run(args, ctx) {
    const row = await renameProfile(args.old, args.new, {
      ...ctx.location,
      ...scoped(args.scope),
    });
    if (ctx.json) return ctx.printJson(row);
    ctx.out(`renamed "${args.old}" to "${row.name}" in ${row.path}`);
  },
});

const setDefault = defineCommand({
  meta: { name: "set-default", description: "Make a profile the default of its file (or of --scope)" },
  args: { name: { type: "positional", description: "profile name", required: true }, scope: scopeArg },
  async run(args, ctx) {
    const row = await setDefaultProfile(args.name, {
      ...ctx.location,
      ...scoped(args.scope),
    });
    if (ctx.json) return ctx.printJson(row);
    ctx.out(`"${row.name}" is now the default (${args.scope ?? row.scope})`);
  },
});

const remove = defineCommand({
  meta: { name: "remove", description: "Remove a profile" },
  args: { name: { type: "positional", description: "profile name", required: true }, scope: scopeArg },
  async run(args, ctx) {
    const r = await removeProfile(args.name, {
      ...ctx.location,
      ...scoped(args.scope),
    });
    if (ctx.json) return ctx.printJson(r);
    ctx.out(`removed "${r.name}" from ${r.path}${r.clearedDefault ? " (it was the default)" : ""}`);
  },
});

const verify = defineCommand({
  meta: { name: "verify", description: "Connect and report the server version and user" },
  args: { name: { type: "positional", description: "profile name (default: --profile or the default)" } },
  async run(args, ctx) {
    const name = args.name ?? ctx.profileName;
    const verified = await verifyProfile(name, ctx.location);
    // The profile's URL may carry user info: shown without it, like every URL d2w prints.
    const r = { ...verified, baseUrl: withoutUserinfo(verified.baseUrl) };
    if (ctx.json) ctx.printJson(r);
    else if (r.ok)
      ctx.out(
        `ok: ${r.name ?? "(env)"} -> ${r.baseUrl}: DHIS2 ${r.version} as ${r.user} (${r.latencyMs} ms)`,
      );
    if (!r.ok) {
      if (!ctx.json) ctx.err(`d2w: profile ${r.name ?? "(env)"} (${r.baseUrl}) failed: ${r.error}`);
      return 1;
    }
  },
});

const login = defineCommand({
  meta: { name: "login", description: "OAuth2: log in once and store the token for later runs" },
  args: {
    name: { type: "positional", description: "OAuth2 profile name", required: true },
    browser: { type: "boolean", negate: true, description: "only print the authorization URL" },
  },
  async run(args, ctx) {
    // The resolved profile knows its file: the token is stored next to it.
    const profile = resolveProfile(args.name, ctx.location);
    const r = await loginProfile(args.name, {
      profile,
      start: ctx.io.cwd,
      env: ctx.io.env,
      // Through ctx.err (not core's printAuthorizationUrl, which writes to process.stderr) so the
      // URL goes to the invocation's stderr, also when d2w runs in-process.
      openBrowser: async (url) => {
        ctx.err(`Open this URL in a browser to log in to DHIS2:\n\n  ${url}\n`);
        if (args.browser) openWithDesktop(url);
      },
    });
    if (ctx.json) return ctx.printJson(r);
    ctx.out(
      `logged in "${r.profileName}" (${r.grant}); token valid until ${new Date(r.expiresAt).toISOString()}${r.hasRefreshToken ? ", refreshable" : ""}`,
    );
  },
});

const patCreate = defineCommand({
  meta: {
    name: "create",
    description: "Mint a Personal Access Token (admin secret from DHIS2_ADMIN_PAT or DHIS2_ADMIN_PASSWORD)",
    examples: [
      'DHIS2_ADMIN_PASSWORD=... d2w profile pat create --url http://localhost:8080 --admin-user admin --description "ci"',
    ],
  },
  args: {
    url: { type: "string", description: "server URL", required: true },
    adminUser: { type: "string", description: "user that owns the token (with DHIS2_ADMIN_PASSWORD)" },
    description: { type: "string", description: "token description", default: "d2w" },
    expires: { type: "number", description: "days until it expires (default 30)", min: 1, valueName: "days" },
    save: { type: "string", description: "store it as a PAT profile of this name instead of printing it" },
    scope: { ...scopeArg, default: "global" },
  },
  async run(args, ctx) {
    const adminPat = ctx.io.env.DHIS2_ADMIN_PAT?.trim() || undefined;
    const adminPassword = ctx.io.env.DHIS2_ADMIN_PASSWORD;
    if (!adminPat && (!args.adminUser || adminPassword === undefined)) {
      throw new UserError(
        "profile pat create: set DHIS2_ADMIN_PAT, or DHIS2_ADMIN_PASSWORD with --admin-user",
      );
    }
    const days = args.expires ?? 30;
    const r = await createPat({
      url: args.url,
      ...(adminPat ? { adminPat } : { adminUser: args.adminUser, adminPassword }),
      description: args.description,
      expiresAt: Date.now() + days * 86_400_000,
    });
    const expires = new Date(r.expiresAt).toISOString();
    if (args.save) {
      const row = await addProfile(
        args.save,
        { baseUrl: args.url, auth: "pat", token: r.key },
        { ...ctx.location, scope: args.scope as ProfileScope },
      );
      if (ctx.json) return ctx.printJson({ id: r.id, expiresAt: expires, profile: row.name, path: row.path });
      return ctx.out(
        `created PAT ${r.id ?? ""} (expires ${expires}) and saved it as profile "${row.name}" in ${row.path}`,
      );
    }
    // The key is what the user asked for, and DHIS2 shows it only once: printed raw on stdout.
    if (ctx.json) ctx.out(JSON.stringify({ id: r.id, key: r.key, expiresAt: expires }));
    else ctx.out(r.key);
    ctx.err(`created PAT ${r.id ?? ""} (expires ${expires}); DHIS2 will not show the key again`);
  },
});

export default defineGroup({
  meta: { name: "profile", description: "Manage connection profiles" },
  subCommands: [
    add,
    list,
    show,
    rename,
    setDefault,
    remove,
    verify,
    login,
    defineGroup({ meta: { name: "pat", description: "Personal Access Tokens" }, subCommands: [patCreate] }),
  ],
});
