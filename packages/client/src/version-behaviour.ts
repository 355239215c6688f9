/**
 * The shape of one row of the version table (`versions.ts`): what a DHIS2 minor version does
 * differently, both how the client has to ask and absorb (read by the client) and how the server
 * answers (read by the emulator, which answers as the client expects that version to answer).
 * It describes DHIS2, not our code: every field names the dhis2-core behaviour it stands for.
 */
import { parseDhis2Version } from "./version-string.js";

/**
 * A fact that changed within one minor version, e.g. a fix backported to a patch release:
 * `initial` from `.0` on, then each change from its patch on (oldest first).
 *
 * @example
 * ```ts
 * const responseType: ByPatch<string> = { initial: "Long", changes: [{ fromPatch: 5, value: "Short" }] };
 * ```
 */
export interface ByPatch<T> {
  readonly initial: T;
  readonly changes: readonly { readonly fromPatch: number; readonly value: T }[];
}

/**
 * The value of a {@link ByPatch} fact of the row for `minor` on a server that reports `version`.
 * A build without a patch number (`2.42-SNAPSHOT`, the branch head), a newer minor than the
 * row's, or a string that is no version gets the latest value; an older minor the initial one.
 *
 * @example
 * ```ts
 * atPatch(SUPPORTED_VERSIONS.v42.jobs.kickoffResponseType, 42, "2.42.5"); // "JobConfiguration"
 * ```
 */
export function atPatch<T>(fact: ByPatch<T>, minor: number, version: string): T {
  const latest = fact.changes.at(-1)?.value ?? fact.initial;
  const parsed = parseDhis2Version(version);
  if (!parsed || parsed.major > 2 || (parsed.major === 2 && parsed.minor > minor)) return latest;
  if (parsed.major < 2 || parsed.minor < minor) return fact.initial;
  if (parsed.patch === undefined) return latest;
  const patch = parsed.patch;
  return fact.changes.filter((c) => c.fromPatch <= patch).at(-1)?.value ?? fact.initial;
}

/** The build a row was read off: the server the schema snapshot came from, and what the emulator reports. */
export interface ReferenceBuild {
  /** `version` in `/api/system/info`, as the real server prints it. */
  readonly version: string;
  readonly revision: string;
  readonly buildTime: string;
  readonly jasperReportsVersion: string;
  readonly javaVersion: string;
}

/** The metadata endpoints (`/api/<resource>`, the Gist API, the org unit hierarchy lists). */
export interface MetadataBehaviour {
  /** False on 2.41: the query engine rejects the `!empty` filter operator (QUIRKS.md "Semantics"). */
  readonly notEmptyFilterOperator: boolean;
  /**
   * Status of a query the parser refuses: 2.41/2.42 let `QueryParserException` reach
   * `CrudControllerAdvice` (409 Conflict); 2.43's `AbstractFullReadOnlyController.getEntityList`
   * catches it as `BadRequestException` (400). dhis2/dhis2-core tags 2.42.3 vs 2.43.0.
   */
  readonly queryErrorStatus: 400 | 409;
  /**
   * Gist pager links: 2.41 builds them relative (`/api/{type}/gist?<params>&page=n`), 2.42+ from
   * the request URL (absolute).
   */
  readonly gistPageLinks: "relative" | "request-url";
  /**
   * True from 2.42: the org unit ancestor lists (`includeAncestors`, `/ancestors`) add
   * `level:asc` to the query; 2.41's in-memory list keeps the default order.
   */
  readonly ancestorsOrderedByLevel: boolean;
}

/** `/api/dataValueSets`, `/api/dataValues`. */
export interface DataValuesBehaviour {
  /**
   * True from 2.43: an upload without `dataSet` whose data elements belong to several data sets
   * fails with 409 E8002 (`DefaultDataEntryService`, docs/decisions.md).
   */
  readonly setNeedsDataSet: boolean;
  /**
   * Which capture-scope caches the version has (dhis2-core 2.41.8.1, 2.42.4.1, 2.43.0; see the
   * emulator's `data/capture-scope.ts`): single values through `isInUserHierarchyCached` (2.41,
   * 2.42; 2.43 checks with SQL), and data value set imports through the PAT's cached
   * `UserDetails` (2.42 only).
   */
  readonly captureScopeCaches: {
    readonly singleValueHierarchy: boolean;
    readonly apiTokenUserDetails: boolean;
  };
}

/** `/api/dataStore`, `/api/userDataStore`. */
export interface DataStoreBehaviour {
  /**
   * False on 2.41: Spring's suffix pattern matching takes any `.x` ending a request path for a
   * format extension (dhis2-core `ContentNegotiationConfig`), so a key or namespace with a dot
   * cannot be addressed (406); 2.42+ strips registered extensions only (`.json`, `.csv`, ...).
   */
  readonly dottedNames: boolean;
  /**
   * The namespaces a server without extra apps protects (`DatastoreNamespaceProtection`; who sets
   * each and how is in the emulator's `datastore/protection.ts`).
   */
  readonly protectedNamespaces: readonly string[];
  /** True from 2.42: `GET /api/dataStore/protections` lists them. */
  readonly protectionsEndpoint: boolean;
}

/** The tracker exporters (`/api/tracker/trackedEntities|enrollments|events|relationships`). */
export interface TrackerBehaviour {
  /** True on 2.41: lists repeat `page`/`pageSize` flat next to `pager` (QUIRKS.md "Wire formats"). */
  readonly listRepeatsPagingFlat: boolean;
  /** True on 2.41: the deprecated 2.40 names (`orgUnit`, `ouMode`, `trackedEntity`) still work. */
  readonly legacyParamNames: boolean;
  /**
   * True from 2.43: `program` is a required `@RequestParam` of `EventsExportController.getEvents`
   * (missing: Spring's 400 page), and an event program's events go through
   * `SingleEventOperationParamsMapper`, which checks neither program stage nor tracked entity.
   */
  readonly eventsSplitByProgramType: boolean;
  /**
   * What `EnrollmentOperationParamsMapper` checks exists: 2.41 the tracked entity type and a
   * single tracked entity ("multiple items indicate an internal call"), 2.42 the type and every
   * tracked entity, 2.43 neither.
   */
  readonly enrollmentChecks: "type-and-single-entity" | "type-and-entities" | "none";
  /** The events exporter's 400 for an org unit that does not exist (2.41 says "Org unit"). */
  readonly eventOrgUnitNotFound: (uid: string) => string;
}

/** `/api/systemSettings` and the settings `/api/system/info` shows. */
export interface SystemSettingsBehaviour {
  /**
   * Where settings are defined: 2.41's `SettingKey` enum behind `SystemSettingController`
   * (a `null` default leaves a key out, values parsed by Java, "Access is denied" without the
   * authority), or 2.42+'s `SystemSettings` interface behind `SystemSettingsController`
   * (`LazySettings`: every key has a default, WebMessages with E1003-E1006). The emulator's
   * `system/settings.ts` has the whole comparison.
   */
  readonly model: "SettingKey" | "LazySettings";
}

/** `/api/system/info` fields that only some versions send. */
export interface SystemInfoBehaviour {
  /** `sessionTimeout` (seconds), sent from 2.43. */
  readonly sessionTimeout: number | undefined;
  /** `capability`, sent from 2.43. */
  readonly capability: { readonly analyticsTotalCounts: boolean } | undefined;
}

/** The CORS filter. */
export interface CorsBehaviour {
  /**
   * A request from an origin outside the allowlist: 2.41's own servlet filter lets it through
   * with no CORS headers; from 2.42 Spring's `CorsFilter` stops it with an empty 200.
   */
  readonly refusal: "pass-through" | "empty-200";
}

/** `/api/oAuth2Clients`. */
export interface OAuth2Behaviour {
  /**
   * The client model: 2.41's `OAuth2Client` (`cid`, `secret`, `grantTypes: [..]`,
   * `redirectUris: [..]`) or 2.42+'s Spring Authorization Server `RegisteredClient` (`clientId`,
   * `clientSecret`, comma-separated `authorizationGrantTypes`, `redirectUris`, `scopes`).
   */
  readonly clientModel: "OAuth2Client" | "RegisteredClient";
}

/** Validation rule analysis and predictor runs. */
export interface ValidationBehaviour {
  /**
   * The 400 for a `maxResults` outside 1..limit: 2.41's `DataAnalysisController` words it
   * "greater than 0 and less than or equal to", 2.42 and 2.43 (a `BadRequestException`) "between".
   */
  readonly maxResultsMessage: (limit: number) => string;
  /**
   * True from 2.43: `PredictorController` refuses a start date after the end date (409, E7206);
   * 2.41 and 2.42 run over no periods and answer "Generated 0 predictions".
   */
  readonly predictorsRefuseReversedDates: boolean;
}

/** Asynchronous jobs. */
export interface JobsBehaviour {
  /**
   * `responseType` of a job kick-off's `response`, or `undefined` when none is sent. Read in
   * dhis2-core: 2.41.x `JobConfigurationWebMessageResponse` implements the empty
   * `WebMessageResponse` interface, so no `responseType`; 2.42.0 gave the interface
   * `getResponseType() = getResponseClassType().getSimpleName()`, i.e.
   * `"JobConfigurationWebMessageResponse"`; DHIS2-21364 (#23748) strips the suffix
   * (`replaceFirst("WebMessageResponse", "")` -> `"JobConfiguration"`) from 2.42.5 and 2.43.1 on
   * (2.43.0 and 2.43.0.1 still send the long name; 2.44 the short one).
   */
  readonly kickoffResponseType: ByPatch<string | undefined>;
}

/** `/api/apps` (dhis2-core `AppController.installApp`). */
export interface AppsBehaviour {
  /** 204 with no body on 2.41 (`@ResponseStatus(NO_CONTENT)`); 201 with the installed `App` from 2.42. */
  readonly installStatus: 201 | 204;
}

/** `/api/fileResources` (dhis2-core `FileResourceController#getFileResourceData`). */
export interface FileResourcesBehaviour {
  /** Domains whose content `/data` refuses with 403: DATA_VALUE always, PUSH_ANALYSIS before 2.43. */
  readonly dataRefusedDomains: readonly string[];
  /** The 403's message for a refused file resource (reworded in 2.43). */
  readonly dataRefusedMessage: (uid: string) => string;
}

/**
 * How one supported DHIS2 version differs from the others: one row of `SUPPORTED_VERSIONS`.
 * Every per-version behaviour the toolkit knows about lives in a row, never in copies of code:
 * the client and the emulator both ask it.
 */
export interface VersionBehaviour {
  /** The minor number DHIS2 reports ("2.42.4" -> 42). */
  readonly minor: number;
  readonly referenceBuild: ReferenceBuild;
  readonly metadata: MetadataBehaviour;
  readonly dataValues: DataValuesBehaviour;
  readonly dataStore: DataStoreBehaviour;
  readonly tracker: TrackerBehaviour;
  readonly systemSettings: SystemSettingsBehaviour;
  readonly systemInfo: SystemInfoBehaviour;
  readonly cors: CorsBehaviour;
  readonly oauth2: OAuth2Behaviour;
  readonly validation: ValidationBehaviour;
  readonly jobs: JobsBehaviour;
  readonly apps: AppsBehaviour;
  readonly fileResources: FileResourcesBehaviour;
}
