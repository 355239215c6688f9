/**
 * Demo tracker data: when the metadata holds a tracker program (WITH_REGISTRATION) with stages,
 * a few tracked entities are enrolled in it with one event per stage. Same seed, same UIDs; the
 * data goes through the importer, so it is exactly what an import of the same payload would store.
 */
import type { MetadataObject } from "../metadata-store.js";
import { createSeedContext, SEED_TIMESTAMP } from "../seed/context.js";
import type { EmulatorState } from "../state.js";
import { runImport } from "./importer.js";
import type { Json, TrackerStore } from "./store.js";

/** What {@link seedTrackerDemo} created. */
export interface TrackerSeedIds {
  program: string;
  trackedEntities: string[];
  enrollments: string[];
  events: string[];
}

const refId = (v: unknown): string | undefined =>
  typeof v === "object" && v !== null && typeof (v as Json).id === "string"
    ? ((v as Json).id as string)
    : undefined;

function sampleValue(state: EmulatorState, obj: MetadataObject, i: number): string {
  // Values of option-set attributes and data elements must be option codes.
  const optionSet = state.metadata.get("optionSets", refId(obj.optionSet) ?? "");
  const options = (Array.isArray(optionSet?.options) ? optionSet.options : [])
    .map((o) => state.metadata.get("options", refId(o) ?? "")?.code)
    .filter((c): c is string => typeof c === "string");
  if (options.length > 0) return options[i % options.length] as string;
  switch (obj.valueType) {
    case "NUMBER":
    case "INTEGER":
    case "INTEGER_POSITIVE":
    case "INTEGER_ZERO_OR_POSITIVE":
      return String(1 + ((i * 7) % 20));
    case "BOOLEAN":
      return i % 2 === 0 ? "true" : "false";
    case "TRUE_ONLY":
      return "true";
    case "DATE":
      return `2024-0${1 + (i % 9)}-1${i % 10}`;
    default:
      return ["Amina", "Bilal", "Chiara", "Dawit", "Esi", "Farid", "Grace", "Hugo"][i % 8] as string;
  }
}

/**
 * Seeds `count` tracked entities into the first tracker program with stages; returns their ids, or
 * `undefined` when the metadata has no such program (the demo seed may not define one).
 *
 * @example
 * seedTrackerDemo(app.state, trackerStore(app)); // the tracker module does this for seed "demo"
 */
export function seedTrackerDemo(
  state: EmulatorState,
  store: TrackerStore,
  count = 6,
): TrackerSeedIds | undefined {
  const md = state.metadata;
  const program = md
    .list("programs")
    .find(
      (p) =>
        p.programType === "WITH_REGISTRATION" && Array.isArray(p.programStages) && p.programStages.length > 0,
    );
  const tet = refId(program?.trackedEntityType);
  if (!program || !tet || !md.has("trackedEntityTypes", tet)) return undefined;
  const stages = (program.programStages as unknown[])
    .map((s) => md.get("programStages", refId(s) ?? ""))
    .filter((s): s is MetadataObject => s !== undefined);
  const programOus = (Array.isArray(program.organisationUnits) ? program.organisationUnits : []).map(refId);
  const leaves = md
    .list("organisationUnits")
    .filter((o) => !Array.isArray(o.children) || o.children.length === 0);
  const orgUnits = (programOus.length > 0 ? programOus : leaves.map((o) => o.id)).filter(
    (id): id is string => typeof id === "string" && md.has("organisationUnits", id),
  );
  if (orgUnits.length === 0 || stages.length === 0) return undefined;
  const attributes = (
    Array.isArray(program.programTrackedEntityAttributes) ? program.programTrackedEntityAttributes : []
  )
    .map((a) => md.get("trackedEntityAttributes", refId((a as Json).trackedEntityAttribute) ?? ""))
    .filter((a): a is MetadataObject => a !== undefined);

  const uid = createSeedContext(state, "dhis2w-tracker").uids("tracker");
  const ids: TrackerSeedIds = { program: program.id, trackedEntities: [], enrollments: [], events: [] };
  const trackedEntities: Json[] = [];
  for (let i = 0; i < count; i++) {
    const te = uid();
    const en = uid();
    const orgUnit = orgUnits[i % orgUnits.length] as string;
    const day = String(1 + i).padStart(2, "0");
    const events = stages.map((stage, s) => {
      const ev = uid();
      ids.events.push(ev);
      const elements = (Array.isArray(stage.programStageDataElements) ? stage.programStageDataElements : [])
        .map((p) => md.get("dataElements", refId((p as Json).dataElement) ?? ""))
        .filter((d): d is MetadataObject => d !== undefined)
        .slice(0, 3);
      return {
        event: ev,
        programStage: stage.id,
        orgUnit,
        status: s === 0 ? "COMPLETED" : "ACTIVE",
        occurredAt: `2024-02-${day}T00:00:00.000`,
        dataValues: elements.map((d, k) => ({ dataElement: d.id, value: sampleValue(state, d, i + k) })),
      };
    });
    ids.trackedEntities.push(te);
    ids.enrollments.push(en);
    trackedEntities.push({
      trackedEntity: te,
      trackedEntityType: tet,
      orgUnit,
      attributes: attributes.map((a, k) => ({ attribute: a.id, value: sampleValue(state, a, i + k) })),
      enrollments: [
        {
          enrollment: en,
          program: program.id,
          orgUnit,
          status: "ACTIVE",
          enrolledAt: `2024-01-${day}T00:00:00.000`,
          occurredAt: `2024-01-${day}T00:00:00.000`,
          events,
        },
      ],
    });
  }
  const report = runImport(
    { trackedEntities },
    {
      importStrategy: "CREATE_AND_UPDATE",
      atomicMode: "OBJECT",
      validationMode: "FULL",
      importMode: "COMMIT",
    },
    { metadata: md, store, now: () => SEED_TIMESTAMP, user: undefined },
  );
  return report.stats.created > 0 ? ids : undefined;
}
