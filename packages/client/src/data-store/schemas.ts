import { z } from "zod";

const UserRef = z.looseObject({
  id: z.string(),
  username: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().optional(),
});

/**
 * `GET /api/dataStore/{ns}/{key}/metaData`: the entry as dhis2-core's `DatastoreEntry` serialises
 * without its value (its UID is the one `/api/sharing?type=dataStore&id=` takes).
 *
 * @example
 * ```ts
 * const meta = DataStoreEntryMetaData.parse(await client.getRaw("/api/dataStore/app/config/metaData"));
 * ```
 */
export const DataStoreEntryMetaData = z.looseObject({
  id: z.string(),
  namespace: z.string(),
  key: z.string(),
  created: z.string().optional(),
  lastUpdated: z.string().optional(),
  createdBy: UserRef.optional(),
  lastUpdatedBy: UserRef.optional(),
  sharing: z.looseObject({ owner: z.string().optional(), public: z.string().optional() }).optional(),
  access: z.record(z.string(), z.unknown()).optional(),
});
export type DataStoreEntryMetaData = z.infer<typeof DataStoreEntryMetaData>;
