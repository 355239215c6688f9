/**
 * Tutorial section "Error handling": the client throws for every status >= 400 and always keeps
 * the body. Shown here:
 *   - a bogus PAT -> `AuthenticationError` (401; names the auth kind, never the token);
 *   - a missing object -> `Dhis2ApiError` with `statusCode`, `message`, `serverMessage`, `webMessage`;
 *   - a 409 validation error -> the WebMessage's `errorReports` (metadata) and `conflicts()` (data values);
 *   - a non-JSON error body (Tomcat's HTML 404 page) -> one readable line, the HTML kept in `body`.
 *
 * Runs against DHIS2_URL (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set, else against an
 * embedded emulator:
 *
 *   npx tsx --conditions=source examples/error-handling.ts
 */
import {
  AuthenticationError,
  Dhis2ApiError,
  Dhis2ClientError,
  generateUid,
  openClient,
  Profile,
} from "@dhis2w/client";
import { localTarget } from "./_emulator.js";
import { runIfMain } from "./_support.js";

/** Runs `fn`, expecting it to throw; returns the error. */
async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, but the call succeeded");
}

export async function main(): Promise<void> {
  const target = await localTarget();
  try {
    // 1. 401: openClient connects (GET /api/system/info), so a bad credential fails right there.
    const bogus = Profile.parse({ baseUrl: target.profile.baseUrl, auth: "pat", token: "not-a-real-pat" });
    const authError = await failure(() => openClient(bogus));
    if (!(authError instanceof AuthenticationError)) throw authError;
    console.log(`401 AuthenticationError (authKind=${authError.authKind}):\n    ${authError.message}`);

    await using client = await openClient(target.profile);

    // 2. 404 on a missing object: a Dhis2ApiError carrying DHIS2's WebMessage.
    const missing = generateUid();
    const notFound = await failure(() => client.getRaw(`/api/dataElements/${missing}`));
    if (!(notFound instanceof Dhis2ApiError)) throw notFound;
    console.log(`${notFound.statusCode} ${notFound.name}: ${notFound.message}`);
    console.log(`    serverMessage: ${notFound.serverMessage}`);
    console.log(
      `    webMessage: status=${notFound.webMessage?.status} httpStatus=${notFound.webMessage?.httpStatus}`,
    );

    // 3a. 409 on invalid metadata: the ObjectReport's errorReports say which property and why.
    const invalid = await failure(() =>
      client.postRaw("/api/dataElements", { name: `Incomplete ${missing}` }),
    );
    if (!(invalid instanceof Dhis2ApiError)) throw invalid;
    console.log(`${invalid.statusCode}: ${invalid.serverMessage}`);
    const reports = (invalid.webMessage?.response?.errorReports ?? []) as {
      errorCode?: string;
      message?: string;
    }[];
    for (const r of reports) console.log(`    [${r.errorCode}] ${r.message}`);

    // 3b. Data values that DHIS2 refuses come back as conflicts (the status depends on the version:
    // a 409 that throws, or a 200 with status WARNING/ERROR).
    const payload = {
      dataValues: [{ dataElement: generateUid(), period: "202401", orgUnit: generateUid(), value: "1" }],
    };
    try {
      const raw = await client.postRaw("/api/dataValueSets", payload);
      console.log(`dataValueSets answered ${String(raw.status)} (no exception)`);
    } catch (error) {
      if (!(error instanceof Dhis2ApiError)) throw error;
      console.log(`${error.statusCode} on /api/dataValueSets: ${error.serverMessage}`);
      for (const c of error.webMessage?.conflicts() ?? []) {
        console.log(`    conflict: ${c.object} -> ${c.value} [${c.errorCode ?? "-"}]`);
      }
    }

    // 4. Not every error is JSON: paths outside DHIS2's controllers answer Tomcat's HTML page
    // (QUIRKS.md "Wire formats": /api/analytics/rawData without .json is an HTML 404).
    const html = await failure(() => client.getRaw("/api/analytics/rawData"));
    if (!(html instanceof Dhis2ApiError)) throw html;
    console.log(`${html.statusCode} with an HTML body: ${html.serverMessage}`);
    console.log(
      `    body kept as text (${String(html.body).length} characters); webMessage: ${String(html.webMessage)}`,
    );

    // Everything the library throws on purpose is a Dhis2ClientError.
    console.log(
      `all are Dhis2ClientError: ${[authError, notFound, invalid, html].every((e) => e instanceof Dhis2ClientError)}`,
    );
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
