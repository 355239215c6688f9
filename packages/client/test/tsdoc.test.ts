/**
 * TSDoc audit of the public entry points: every function, class, const and enum a user can import
 * from `@dhis2w/client`, `@dhis2w/client/node` and `@dhis2w/core` (re-exports followed) carries
 * a doc comment with a summary line, and the entry points a tutorial section uses show an
 * `@example`. Editors show these comments on hover: an undocumented export is a dead end.
 */
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const BARRELS = {
  "@dhis2w/client": "packages/client/src/index.ts",
  "@dhis2w/client/node": "packages/client/src/node/index.ts",
  "@dhis2w/core": "packages/core/src/index.ts",
} as const;

/**
 * Entry points the tutorial's sections start from (client, auth, profiles, resources, metadata,
 * data values, analytics, tracker, tasks, maintenance, OAuth2 login): each needs an `@example`.
 */
const NEEDS_EXAMPLE: Record<keyof typeof BARRELS, readonly string[]> = {
  "@dhis2w/client": [
    // first call, profiles, auth providers
    ...["Dhis2Client", "openClient", "openClientWithAuth", "profileFromEnvRaw", "Profile", "NoProfileError"],
    ...[
      "PatAuth",
      "BasicAuth",
      "OAuth2Auth",
      "MemoryTokenStore",
      "tokenUrlFor",
      "AuthScheme",
      "HttpBasicAuthScheme",
    ],
    // resources, UIDs, JSON Patch, metadata bundles
    ...["generateUid", "generateUids", "isValidUid", "UID_RE", "replaceOp", "createMetadataAccessor"],
    "MetadataImportReport",
    // bulk writes, errors
    ...["WebMessageResponse", "DataValue", "DataValueSet", "DataValues", "Dhis2ClientError", "Dhis2ApiError"],
    ...["AuthenticationError", "OAuth2FlowError", "UnsupportedVersionError"],
    // analytics, tracker, tasks, integrity, system cache, retries
    ...["Analytics", "Grid", "AnalyticsMetaData", "TrackerApi", "TrackerEndpoint", "TrackerTrackedEntity"],
    ...["EventStatus", "Tasks", "TaskTimeoutError", "Maintenance", "SystemApi", "RetryPolicy"],
    // data store
    ...["DataStore", "DataStoreInputError", "createDataStores"],
    // users and access, sharing, the org unit tree
    ...["UsersApi", "UsersInputError", "createUsers", "InvalidUidError", "ObjectNotFoundError"],
    ...["SharingApi", "SharingInputError", "SharingNotAppliedError", "createSharing", "parseSharing"],
    ...[
      "InvalidAccessStringError",
      "checkAccessString",
      "parseAccessString",
      "accessString",
      "isAccessString",
    ],
    ...["ACCESS", "OrganisationUnitTree", "createOrganisationUnitTree"],
  ],
  "@dhis2w/client/node": ["streamAnalyticsTo", "exportDataValuesToFile", "dataValuesFromFile"],
  "@dhis2w/core": [
    ...[
      "openClient",
      "profileFromEnv",
      "resolveProfile",
      "explainProfile",
      "tokenStoreForScope",
      "SqliteTokenStore",
      "loginProfile",
    ],
    ...["addProfile", "listProfiles", "showProfile", "renameProfile", "setDefaultProfile", "removeProfile"],
    ...["verifyProfile", "createPat", "queryAnalytics", "refreshAnalytics", "refreshResourceTables"],
    ...["refreshMonitoring", "importMetadata", "whoAmI"],
    ...["listUsers", "findUser", "assignUserOrganisationUnits", "addUserToGroup", "removeUserFromGroup"],
    ...["setUserDisabled", "getSharing", "setSharing", "orgUnitTree", "orgUnitLevels"],
  ],
};

interface ExportedDecl {
  readonly entry: string;
  readonly name: string;
  readonly kind: string;
  readonly where: string;
  readonly summary: string;
  readonly hasExample: boolean;
}

function kindOf(decl: ts.Declaration): string | undefined {
  if (ts.isFunctionDeclaration(decl)) return "function";
  if (ts.isClassDeclaration(decl)) return "class";
  if (ts.isVariableDeclaration(decl)) return "const";
  if (ts.isEnumDeclaration(decl)) return "enum";
  if (ts.isInterfaceDeclaration(decl)) return "interface";
  if (ts.isTypeAliasDeclaration(decl)) return "type";
  return undefined;
}

/** Lists every exported declaration of the barrels, with its doc comment's summary. */
function exportedDeclarations(): ExportedDecl[] {
  const files = Object.values(BARRELS).map((f) => resolve(repoRoot, f));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ["source"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const out: ExportedDecl[] = [];
  for (const [entry, file] of Object.entries(BARRELS)) {
    const source = program.getSourceFile(resolve(repoRoot, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot load ${file}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const decl of symbol.declarations ?? []) {
        const kind = kindOf(decl);
        if (!kind) continue;
        const docs = ts.getJSDocCommentsAndTags(decl).filter(ts.isJSDoc);
        const summary = docs
          .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
          .join("\n")
          .trim();
        const hasExample = docs.some((d) => (d.tags ?? []).some((t) => t.tagName.text === "example"));
        const sf = decl.getSourceFile();
        const line = sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1;
        out.push({
          entry,
          name: exported.name,
          kind,
          where: `${relative(repoRoot, sf.fileName)}:${line}`,
          summary,
          hasExample,
        });
      }
    }
  }
  return out;
}

const all = exportedDeclarations();

/**
 * One row per exported name: a zod schema is a const and a type alias of the same name, and an
 * editor shows the const's comment on both, so a name counts as documented when any of its
 * declarations is.
 */
function undocumented(kinds: readonly string[]): string[] {
  const byName = new Map<string, ExportedDecl[]>();
  for (const d of all) {
    const key = `${d.entry} ${d.name}`;
    byName.set(key, [...(byName.get(key) ?? []), d]);
  }
  const out: string[] = [];
  for (const [key, decls] of byName) {
    const ofKind = decls.filter((d) => kinds.includes(d.kind));
    if (ofKind.length === 0 || decls.some((d) => d.summary !== "")) continue;
    // Types are checked only for names that are nothing but types.
    if (!kinds.includes("const") && decls.some((d) => !kinds.includes(d.kind))) continue;
    out.push(`${key}: ${ofKind.map((d) => `${d.kind} at ${d.where}`).join(", ")}`);
  }
  return out.sort();
}

describe("TSDoc of the public barrels", () => {
  it("finds the exports (re-exports followed)", () => {
    const names = new Set(all.map((d) => d.name));
    for (const n of ["Dhis2Client", "OAuth2Auth", "MetadataImportReport", "openClient"])
      expect(names).toContain(n);
  });

  it("documents every exported function, class, const and enum with a summary line", () => {
    expect(undocumented(["function", "class", "const", "enum"])).toEqual([]);
  });

  it("documents every exported interface and type alias with a summary line", () => {
    expect(undocumented(["interface", "type"])).toEqual([]);
  });

  it("shows an @example on every tutorial entry point", () => {
    const missing: string[] = [];
    for (const [entry, names] of Object.entries(NEEDS_EXAMPLE)) {
      for (const name of names) {
        const decls = all.filter((d) => d.entry === entry && d.name === name);
        if (decls.length === 0) missing.push(`${entry} ${name}: not exported`);
        else if (!decls.some((d) => d.hasExample)) missing.push(`${entry} ${name} (${decls[0]?.where})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
