/**
 * Trust: "https -> http on connect." A Tomcat behind a TLS proxy without `X-Forwarded-Proto`
 * redirects `https://…/api/system/info` to `http://…`; the handshake must never adopt that.
 * Real sockets: a TLS server with a certificate made for this test plays the https front, the
 * emulator (or a small DHIS2-like server) answers behind it; `loopbackFetch` resolves the test's
 * host names to 127.0.0.1 and trusts the certificate.
 */
import { BasicAuth, type ClientNotice, Dhis2Client, Dhis2ClientError } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dhis2InfoLike,
  hasOpenssl,
  loopbackFetch,
  proxyTo,
  redirectTo,
  selfSignedCert,
  startServer,
  type TestCert,
  type TestServer,
} from "../support/loopback.js";

const auth = () => new BasicAuth({ username: "admin", password: "district" });
const opensslMissing = !hasOpenssl();

// Certificates are made with the openssl command; without it there is no TLS server to test against.
describe.skipIf(opensslMissing)("https -> http on connect", () => {
  let emu: RunningEmulator;
  let cert: TestCert;
  let fetch: ReturnType<typeof loopbackFetch>;
  const servers: TestServer[] = [];
  const serve = async (...args: Parameters<typeof startServer>) => {
    const s = await startServer(...args);
    servers.push(s);
    return s;
  };
  /** The emulator under a host name of the test's choosing (same socket, named host). */
  const emuAt = (host: string) => emu.url.replace("127.0.0.1", host);

  beforeAll(async () => {
    emu = await startEmulator({ seed: "empty", port: 0 });
    cert = selfSignedCert(["dhis2.test", "other.test"]);
    fetch = loopbackFetch({ ca: cert.cert });
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await emu.close();
  });

  it("a TLS proxy redirecting /api/system/info to http: is refused, naming both URLs and the proxy fix; no credentials in clear text", async () => {
    emu.stats.reset();
    const front = await serve(
      redirectTo((path) => `${emuAt("dhis2.test")}${path}`),
      cert,
    );
    const err = await Dhis2Client.open({ baseUrl: front.url("dhis2.test"), auth: auth(), fetch }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Dhis2ClientError);
    const message = (err as Error).message;
    expect(message).toContain(
      `${front.url("dhis2.test")}/api/system/info redirected to ${emuAt("dhis2.test")}/api/system/info`,
    );
    expect(message).toMatch(/refusing to move from https to plain http/);
    expect(message).toMatch(/X-Forwarded-Proto/);
    // The front (https) got the credentials; the plain-http emulator was asked once, without them,
    // and never again (adopting it would have asked again with Authorization).
    expect(front.seen[0]?.authorization).toMatch(/^Basic /);
    expect(emu.stats.count("/api/system/info")).toBe(1);
  });

  it("a TLS proxy in front of DHIS2 works when it does not downgrade (the handshake over https)", async () => {
    const proxy = await serve(proxyTo(emu.url), cert);
    await using client = await Dhis2Client.open({ baseUrl: proxy.url("dhis2.test"), auth: auth(), fetch });
    expect(client.baseUrl).toBe(proxy.url("dhis2.test"));
    expect((await client.system.me()).username).toBe("admin");
  });

  it("another host over https is adopted: client.baseUrl is the adopted URL and onNotice says so", async () => {
    const canonical = await serve(proxyTo(emu.url, "/dhis"), cert);
    const front = await serve(
      redirectTo((path) => `${canonical.url("other.test")}/dhis${path}`, 301),
      cert,
    );
    const notices: ClientNotice[] = [];
    await using client = await Dhis2Client.open({
      baseUrl: front.url("dhis2.test"),
      auth: auth(),
      fetch,
      onNotice: (n) => notices.push(n),
    });
    const adopted = `${canonical.url("other.test")}/dhis`;
    expect(client.baseUrl).toBe(adopted);
    expect(notices).toEqual([
      {
        kind: "baseUrlAdopted",
        from: front.url("dhis2.test"),
        to: adopted,
        message: `${front.url("dhis2.test")}/api/system/info redirected: using ${adopted} as the base URL`,
      },
    ]);
    // The redirect hop carried no credentials; the adopted host got them once adopted.
    expect(canonical.seen.map((r) => r.authorization !== undefined)).toEqual([false, true]);
    expect((await client.system.me()).username).toBe("admin");
  });

  it("plain http to another host is not adopted, even when it answers like DHIS2", async () => {
    const elsewhere = await serve(dhis2InfoLike());
    const front = await serve(redirectTo((path) => `${elsewhere.url("other.test")}${path}`));
    const err = await Dhis2Client.open({ baseUrl: front.url("dhis2.test"), auth: auth(), fetch }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Dhis2ClientError);
    expect((err as Error).message).toMatch(
      /redirected to http:\/\/other\.test:\d+, plain http on another host; .*only over https/,
    );
    expect(elsewhere.seen.map((r) => r.authorization)).toEqual([undefined]);
  });

  it("plain http on the same host name, another port, is adopted (and said)", async () => {
    const front = await serve(redirectTo((path) => `${emuAt("dhis2.test")}${path}`));
    const notices: ClientNotice[] = [];
    await using client = await Dhis2Client.open({
      baseUrl: front.url("dhis2.test"),
      auth: auth(),
      fetch,
      onNotice: (n) => notices.push(n),
    });
    expect(client.baseUrl).toBe(emuAt("dhis2.test"));
    expect(notices.map((n) => [n.from, n.to])).toEqual([[front.url("dhis2.test"), emuAt("dhis2.test")]]);
  });
});
