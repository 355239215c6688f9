/**
 * The emulator's tracker data: tracked entities, enrollments, events and relationships, stored flat
 * (children are linked by UID, nested only when rendered) and indexed by their parents, so lists of
 * 10k+ events filter without scanning unrelated objects. Objects are kept in DHIS2's 2.41+ wire
 * shape. Deletes are soft (`deleted: true`), as in DHIS2; reads hide them unless `includeDeleted`.
 */

/** A JSON object as stored. */
export type Json = Record<string, unknown>;

/** The four tracker types, as the import report names them. */
export type TrackerType = "TRACKED_ENTITY" | "ENROLLMENT" | "EVENT" | "RELATIONSHIP";

/** The four exporters. */
export type TrackerKind = "trackedEntities" | "enrollments" | "events" | "relationships";

export const UID_KEY: Readonly<Record<TrackerType, string>> = {
  TRACKED_ENTITY: "trackedEntity",
  ENROLLMENT: "enrollment",
  EVENT: "event",
  RELATIONSHIP: "relationship",
};

export const KIND_OF: Readonly<Record<TrackerType, TrackerKind>> = {
  TRACKED_ENTITY: "trackedEntities",
  ENROLLMENT: "enrollments",
  EVENT: "events",
  RELATIONSHIP: "relationships",
};

function addTo(index: Map<string, Set<string>>, key: unknown, uid: string): void {
  if (typeof key !== "string" || key === "") return;
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(uid);
}

function removeFrom(index: Map<string, Set<string>>, key: unknown, uid: string): void {
  if (typeof key !== "string") return;
  index.get(key)?.delete(uid);
}

/** UIDs an item of a relationship points at (`{ trackedEntity: { trackedEntity: uid } }`). */
export function relationshipItemUid(item: unknown): string | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  for (const key of ["trackedEntity", "enrollment", "event"] as const) {
    const inner = (item as Json)[key];
    if (typeof inner === "string") return inner;
    if (typeof inner === "object" && inner !== null) {
      const uid = (inner as Json)[key];
      if (typeof uid === "string") return uid;
    }
  }
  return undefined;
}

/** Tracker objects by type, with parent indexes. Insertion order is creation order. */
export class TrackerStore {
  readonly trackedEntities = new Map<string, Json>();
  readonly enrollments = new Map<string, Json>();
  readonly events = new Map<string, Json>();
  readonly relationships = new Map<string, Json>();
  readonly #enrollmentsByTe = new Map<string, Set<string>>();
  readonly #eventsByEnrollment = new Map<string, Set<string>>();
  readonly #eventsByProgram = new Map<string, Set<string>>();
  readonly #enrollmentsByProgram = new Map<string, Set<string>>();
  readonly #relationshipsByObject = new Map<string, Set<string>>();

  map(type: TrackerType): Map<string, Json> {
    return this[KIND_OF[type]];
  }

  get(type: TrackerType, uid: string): Json | undefined {
    return this.map(type).get(uid);
  }

  /** Inserts or replaces an object, keeping the indexes right. */
  put(type: TrackerType, obj: Json): void {
    const uid = obj[UID_KEY[type]] as string;
    const previous = this.map(type).get(uid);
    if (previous) this.#unindex(type, uid, previous);
    this.map(type).set(uid, obj);
    this.#index(type, uid, obj);
  }

  #index(type: TrackerType, uid: string, obj: Json): void {
    if (type === "ENROLLMENT") {
      addTo(this.#enrollmentsByTe, obj.trackedEntity, uid);
      addTo(this.#enrollmentsByProgram, obj.program, uid);
    } else if (type === "EVENT") {
      addTo(this.#eventsByEnrollment, obj.enrollment, uid);
      addTo(this.#eventsByProgram, obj.program, uid);
    } else if (type === "RELATIONSHIP") {
      addTo(this.#relationshipsByObject, relationshipItemUid(obj.from), uid);
      addTo(this.#relationshipsByObject, relationshipItemUid(obj.to), uid);
    }
  }

  #unindex(type: TrackerType, uid: string, obj: Json): void {
    if (type === "ENROLLMENT") {
      removeFrom(this.#enrollmentsByTe, obj.trackedEntity, uid);
      removeFrom(this.#enrollmentsByProgram, obj.program, uid);
    } else if (type === "EVENT") {
      removeFrom(this.#eventsByEnrollment, obj.enrollment, uid);
      removeFrom(this.#eventsByProgram, obj.program, uid);
    } else if (type === "RELATIONSHIP") {
      removeFrom(this.#relationshipsByObject, relationshipItemUid(obj.from), uid);
      removeFrom(this.#relationshipsByObject, relationshipItemUid(obj.to), uid);
    }
  }

  #resolve(type: TrackerType, uids: Set<string> | undefined): Json[] {
    const map = this.map(type);
    const out: Json[] = [];
    for (const uid of uids ?? []) {
      const obj = map.get(uid);
      if (obj) out.push(obj);
    }
    return out;
  }

  enrollmentsOf(teUid: string): Json[] {
    return this.#resolve("ENROLLMENT", this.#enrollmentsByTe.get(teUid));
  }

  eventsOf(enrollmentUid: string): Json[] {
    return this.#resolve("EVENT", this.#eventsByEnrollment.get(enrollmentUid));
  }

  enrollmentsInProgram(program: string): Json[] {
    return this.#resolve("ENROLLMENT", this.#enrollmentsByProgram.get(program));
  }

  eventsInProgram(program: string): Json[] {
    return this.#resolve("EVENT", this.#eventsByProgram.get(program));
  }

  /** Relationships with this object on either side. */
  relationshipsOf(uid: string): Json[] {
    return this.#resolve("RELATIONSHIP", this.#relationshipsByObject.get(uid));
  }

  /** Which type an existing UID belongs to (relationship items name the type, but be tolerant). */
  typeOf(uid: string): TrackerType | undefined {
    for (const type of ["TRACKED_ENTITY", "ENROLLMENT", "EVENT", "RELATIONSHIP"] as const) {
      if (this.map(type).has(uid)) return type;
    }
    return undefined;
  }

  counts(): Record<TrackerKind, number> {
    return {
      trackedEntities: this.trackedEntities.size,
      enrollments: this.enrollments.size,
      events: this.events.size,
      relationships: this.relationships.size,
    };
  }
}
