/**
 * Tutorial section "UID generation": DHIS2 UIDs are 11 characters matching
 * `^[A-Za-z][A-Za-z0-9]{10}$`. `generateUid()` makes them on the client with a CSPRNG
 * (`crypto.getRandomValues`, like the SecureRandom in DHIS2's CodeGenerator), so creating
 * objects needs no `/api/system/id` round trip. No connection is needed for that; at the end the
 * example compares with the server's own generator.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else against an embedded emulator:
 *
 *   npx tsx --conditions=source examples/uid-generation.ts
 */
import { generateUid, generateUids, isValidUid, openClient, UID_RE } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const one = generateUid();
  console.log(`generateUid()          -> ${one}`);
  const many = generateUids(100);
  console.log(
    `generateUids(100)      -> ${many.length} UIDs, ${new Set(many).size} distinct, e.g. ${many.slice(0, 3).join(", ")}`,
  );
  console.log(`every one is valid     -> ${many.every(isValidUid)}`);
  console.log(`isValidUid("fClA2Erf6IO") -> ${isValidUid("fClA2Erf6IO")}`);
  console.log(`isValidUid("1abcdefghij") -> ${isValidUid("1abcdefghij")} (must start with a letter)`);
  console.log(`isValidUid("short")       -> ${isValidUid("short")}`);
  console.log(`UID_RE.source          -> ${UID_RE.source}`);

  // The server's generator gives the same shape. DHIS2 answers /api/system/id with { codes: [...] }.
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const { codes } = await client.getRaw<{ codes: string[] }>("/api/system/id", { params: { limit: 3 } });
    console.log(`server /api/system/id  -> ${codes.join(", ")} (valid: ${codes.every(isValidUid)})`);
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
