/**
 * Tutorial section "Retry on transient failures": three `RetryPolicy` set-ups against injected
 * faults of the embedded emulator:
 *   - default: 3 attempts for 429/502/503/504, honouring `Retry-After`;
 *   - aggressive: more attempts with a short backoff;
 *   - non-idempotent opt-in: POST is never retried unless `retryNonIdempotent` is set.
 * The attempts are counted twice: by the client's `onRequest` hook and by the emulator's
 * `emu.stats`. Without a policy nothing is retried.
 *
 * Against a real server (DHIS2_URL set) faults cannot be injected: the example then only shows
 * the policies and one GET made with them.
 *
 *   npx tsx --conditions=source examples/retry-policy.ts
 */
import {
  Dhis2ApiError,
  type Dhis2Client,
  generateUid,
  type OpenClientOptions,
  openClient,
  type Profile,
  RetryPolicy,
} from "@dhis2w/client";
import type { RunningEmulator } from "@dhis2w/emulator";
import { localTarget } from "./_emulator.js";
import { runIfMain } from "./_support.js";

const policies = {
  default: new RetryPolicy(),
  aggressive: new RetryPolicy({
    maxAttempts: 6,
    baseDelayMs: 20,
    backoffFactor: 2,
    maxDelayMs: 200,
    jitter: 0.15,
  }),
  nonIdempotent: new RetryPolicy({ retryNonIdempotent: true }),
};

/** Opens a client whose onRequest hook logs every attempt after the handshake. */
async function clientWith(profile: Profile, options: OpenClientOptions, log: string[]): Promise<Dhis2Client> {
  return openClient(profile, {
    ...options,
    onRequest: (e) => {
      if (!e.url.includes("/api/system/info"))
        log.push(`${e.method} ${new URL(e.url).pathname} attempt ${e.attempt}`);
    },
  });
}

async function withFaults(profile: Profile, emu: RunningEmulator): Promise<void> {
  const log: string[] = [];
  const show = (label: string, path: string, method?: string) => {
    console.log(
      `  ${label}: emulator saw ${emu.stats.count(path, method)} request(s); onRequest: ${log.join(" | ")}`,
    );
    log.length = 0;
    emu.stats.reset();
  };

  console.log("default policy, GET /api/me answering 503 + Retry-After: 1 twice:");
  emu.faults.add({ path: "/api/me", status: 503, retryAfter: "1", times: 2 });
  {
    await using client = await clientWith(profile, { retryPolicy: policies.default }, log);
    emu.stats.reset();
    const started = performance.now();
    const me = await client.system.me();
    console.log(
      `  -> ${me.username} after ${Math.round(performance.now() - started)} ms (two Retry-After waits)`,
    );
    show("default", "/api/me");
  }

  console.log("aggressive policy, GET /api/me answering 502 four times:");
  emu.faults.add({ path: "/api/me", status: 502, times: 4 });
  {
    await using client = await clientWith(profile, { retryPolicy: policies.aggressive }, log);
    emu.stats.reset();
    console.log(`  -> ${(await client.system.me()).username}`);
    show("aggressive", "/api/me");
  }

  const newDataElement = () => {
    const id = generateUid();
    return {
      id,
      name: `Retry example ${id}`,
      shortName: `Retry ${id}`,
      domainType: "AGGREGATE",
      valueType: "NUMBER",
      aggregationType: "SUM",
    };
  };

  console.log("default policy, POST /api/dataElements answering 503 once (POST is not retried):");
  emu.faults.add({ path: "/api/dataElements", method: "POST", status: 503, times: 1 });
  {
    await using client = await clientWith(profile, { retryPolicy: policies.default }, log);
    emu.stats.reset();
    try {
      await client.postRaw("/api/dataElements", newDataElement());
      throw new Error("expected the POST to fail");
    } catch (error) {
      if (!(error instanceof Dhis2ApiError)) throw error;
      console.log(`  -> ${error.statusCode} thrown: ${error.serverMessage}`);
    }
    show("default", "/api/dataElements", "POST");
  }

  console.log("retryNonIdempotent: true, the same fault:");
  emu.faults.add({ path: "/api/dataElements", method: "POST", status: 503, times: 1 });
  {
    await using client = await clientWith(profile, { retryPolicy: policies.nonIdempotent }, log);
    emu.stats.reset();
    const de = newDataElement();
    await client.postRaw("/api/dataElements", de);
    console.log(`  -> created ${de.id} on the second attempt`);
    show("nonIdempotent", "/api/dataElements", "POST");
    await client.deleteRaw(`/api/dataElements/${de.id}`);
    log.length = 0;
  }

  console.log("no policy at all, GET /api/me answering 503 once:");
  emu.faults.add({ path: "/api/me", status: 503, times: 1 });
  {
    await using client = await clientWith(profile, {}, log);
    emu.stats.reset();
    try {
      await client.system.me();
    } catch (error) {
      if (!(error instanceof Dhis2ApiError)) throw error;
      console.log(`  -> ${error.statusCode} thrown at once`);
    }
    show("none", "/api/me");
  }
}

export async function main(): Promise<void> {
  const target = await localTarget();
  try {
    for (const [name, p] of Object.entries(policies)) {
      console.log(
        `${name}: maxAttempts=${p.maxAttempts} baseDelayMs=${p.baseDelayMs} maxDelayMs=${p.maxDelayMs} ` +
          `statuses=${[...p.retryStatuses].join(",")} retryNonIdempotent=${p.retryNonIdempotent}`,
      );
    }
    if (!target.emu) {
      await using client = await openClient(target.profile, { retryPolicy: policies.default });
      console.log(`GET /api/me with the default policy: ${(await client.system.me()).username}`);
      console.log("fault injection skipped: it needs the embedded emulator (unset DHIS2_URL)");
      return;
    }
    await withFaults(target.profile, target.emu);
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
