/**
 * Tutorial section "Route API auth": the `auth` of a DHIS2 Route (`/api/routes`) says how DHIS2
 * authenticates to the upstream service it proxies to. It is unrelated to how this client
 * authenticates to DHIS2. `AuthScheme` is a zod discriminated union on `type` (`http-basic`,
 * `api-token`, `api-headers`, `api-query-params`, `oauth2-client-credentials`); each member has
 * its own schema (`HttpBasicAuthScheme`, ...). `redactAuthScheme` masks the secrets for logs.
 * At the end a route with Basic upstream auth is created, read back and deleted.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/route-auth-schemes.ts
 */
import { AuthScheme, generateUid, HttpBasicAuthScheme, openClient, redactAuthScheme } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  // A typed value of one member, checked by its own schema.
  const basic: HttpBasicAuthScheme = HttpBasicAuthScheme.parse({
    type: "http-basic",
    username: "svc",
    password: "secret",
  });
  console.log(`HttpBasicAuthScheme: ${JSON.stringify(redactAuthScheme(basic))}`);

  // The union picks the member from `type`.
  const samples: unknown[] = [
    { type: "api-token", token: "upstream-token" },
    { type: "api-headers", headers: { "X-API-KEY": "k" } },
    { type: "api-query-params", queryParams: { apiKey: "k" } },
    {
      type: "oauth2-client-credentials",
      clientId: "c",
      clientSecret: "s",
      tokenUri: "https://idp.example.org/token",
    },
  ];
  for (const raw of samples) {
    const scheme = AuthScheme.parse(raw);
    console.log(`AuthScheme.parse -> ${scheme.type.padEnd(25)} ${JSON.stringify(redactAuthScheme(scheme))}`);
  }

  // Bad input is refused with the field named.
  for (const bad of [{ type: "http-basic" }, { type: "kerberos" }]) {
    const r = AuthScheme.safeParse(bad);
    console.log(
      `AuthScheme.safeParse(${JSON.stringify(bad)}) -> ${r.success ? "ok" : r.error.issues.map((i) => `${i.path.join(".") || "type"}: ${i.message}`).join("; ")}`,
    );
  }

  // A route whose upstream calls carry Basic auth. DHIS2 treats the password as write-only.
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const code = `EX_ROUTE_${generateUid()}`;
    const id = await client.routes.create({
      code,
      name: `Example route ${code}`,
      url: "https://upstream.example.org/api/**",
      headers: {}, // the route schema marks it required
      auth: basic,
    });
    try {
      const back = await client.routes.get(id);
      console.log(
        `created route ${id}: auth ${back.auth ? JSON.stringify(redactAuthScheme(back.auth)) : "(not returned)"}`,
      );
    } finally {
      await client.routes.delete(id);
      console.log(`deleted route ${id}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
