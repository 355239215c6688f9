/**
 * Typed resource CRUD (tutorial section "Typed resource CRUD"): create a data element with a
 * client-side UID, read it back with a `fields` selection (the result type follows the string),
 * update it with PUT, patch it with RFC 6902 JSON Patch, add it to a group's collection, delete it.
 *
 * Runs against DHIS2_URL (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set, else against an
 * embedded emulator:
 *
 *   npx tsx --conditions=source examples/resources-crud.ts
 */
import { type Dhis2Client, generateUid, openClient, replaceOp } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(client?: Dhis2Client): Promise<void> {
  if (!client) {
    const target = await exampleTarget();
    try {
      await using own = await openClient(target.profile);
      return await main(own);
    } finally {
      await target.close();
    }
  }
  const { resources } = client;
  const uid = generateUid(); // 11 characters, made on the client, like DHIS2's CodeGenerator

  // CREATE: POST /api/dataElements; resolves to the UID DHIS2 reports
  const created = await resources.dataElements.create({
    id: uid,
    code: `EX_DE_${uid}`,
    name: `Example DE ${uid}`,
    shortName: `Ex ${uid.slice(0, 4)}`,
    domainType: "AGGREGATE",
    valueType: "NUMBER",
    aggregationType: "SUM",
    categoryCombo: { id: "bjDvmb4bfuf" }, // DHIS2's default category combo
  });
  console.log(`created: ${created}`);

  // READ: the fields string types the result: { id: string; name?: string; valueType?: ValueType }
  const fetched = await resources.dataElements.get(uid, { fields: "id,name,valueType" });
  console.log(`fetched: ${fetched.name} (${fetched.valueType})`);

  // UPDATE: PUT replaces the whole object, so read all of it first (a partial PUT would drop fields)
  const whole = await resources.dataElements.get(uid);
  await resources.dataElements.update({ ...whole, name: "Renamed" });
  console.log(`renamed: ${(await resources.dataElements.get(uid, { fields: "name" })).name}`);

  // PATCH: a partial update via RFC 6902 JSON Patch
  await resources.dataElements.patch(uid, [replaceOp("/shortName", "Px")]);
  console.log(
    `patched shortName: ${(await resources.dataElements.get(uid, { fields: "shortName" })).shortName}`,
  );

  // COLLECTION ITEMS: POST/DELETE /api/dataElementGroups/{id}/dataElements/{uid}
  const groupId = generateUid();
  await resources.dataElementGroups.create({
    id: groupId,
    name: `Example group ${groupId}`,
    shortName: `Grp ${groupId}`,
  });
  await resources.dataElementGroups.addCollectionItem(groupId, "dataElements", uid);
  const group = await resources.dataElementGroups.get(groupId, { fields: "id,dataElements[id]" });
  console.log(`group members: ${group.dataElements?.map((d) => d.id).join(", ")}`);
  await resources.dataElementGroups.removeCollectionItem(groupId, "dataElements", uid);
  await resources.dataElementGroups.delete(groupId);

  // DELETE
  await resources.dataElements.delete(uid);
  console.log(`deleted: ${uid}`);
}

runIfMain(import.meta.url, () => main());
