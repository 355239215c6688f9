/**
 * Trust: "Secret masking by position." A server that echoes secrets back in its error bodies in
 * the spellings real servers use (form-encoded query values, JSON-escaped, Tomcat's HTML
 * escaping), and messages that merely contain the letters of a very short secret. Real HTTP:
 * a local node:http server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  BasicAuth,
  Dhis2ApiError,
  Dhis2Client,
  PatAuth,
  type RequestEvent,
  redactSecrets,
} from "@dhis2w/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../support/loopback.js";

const FORM_SECRET = "my secret (pass)";
const JSON_SECRET = 'pa"ss\\word-2024';
const HTML_SECRET = "p<a>ss&w'o/rd";

function jsonAnswer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** Echoes what it was sent, the way servers and proxies do in their error pages. */
function echoing(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://x");
  const rawQuery = url.search.slice(1); // exactly what the client sent: password=my+secret+%28pass%29
  const rawValue = rawQuery.split("=")[1] ?? "";
  const basic = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
  const password = basic.slice(basic.indexOf(":") + 1);
  switch (url.pathname) {
    case "/api/form":
      // A WebMessage quoting the query value as it arrived, and the whole query string.
      jsonAnswer(res, 400, {
        httpStatusCode: 400,
        status: "ERROR",
        message: `Value ${rawValue} is not valid`,
        devMessage: `while reading ${rawQuery}`,
      });
      return;
    case "/api/json":
      // A proxy answering text/plain with the request's JSON-serialised credentials inside.
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`upstream rejected ${JSON.stringify({ user: "admin", password })}`);
      return;
    case "/api/html": {
      // Tomcat's error page: the message HTML-escaped (org.apache.tomcat.util.security.Escape).
      const escaped = password.replace(
        /[&<>"'/]/g,
        (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39", "/": "#47" }[c]};`,
      );
      res.writeHead(400, { "content-type": "text/html;charset=utf-8" });
      res.end(
        `<!doctype html><html><head><title>HTTP Status 400 – Bad Request</title></head><body><h1>HTTP Status 400 – Bad Request</h1><p><b>Message</b> Invalid credentials ${escaped}</p></body></html>`,
      );
      return;
    }
    case "/api/dataElements/Total":
      jsonAnswer(res, 404, {
        httpStatusCode: 404,
        status: "ERROR",
        message: "Data element Total (stable data, value 'ta') not found",
      });
      return;
    case "/api/organisationUnits/BoDistrict":
      jsonAnswer(res, 404, {
        httpStatusCode: 404,
        status: "ERROR",
        message: "Organisation unit Bo district (a district of Southern province) could not be found.",
      });
      return;
    default:
      jsonAnswer(res, 404, { httpStatusCode: 404, status: "ERROR", message: "no route" });
  }
}

let server: TestServer;
let baseUrl: string;
beforeAll(async () => {
  server = await startServer(echoing);
  baseUrl = server.url("127.0.0.1");
});
afterAll(async () => {
  await server.close();
});

const failure = (p: Promise<unknown>) =>
  p.then(() => expect.unreachable("should fail")).catch((e: unknown) => e);
/** Everything a user or a log could see of an error. */
const visible = (e: unknown) => {
  const err = e as Dhis2ApiError;
  return [err.message, err.serverMessage, JSON.stringify(err.body), String(err), err.stack ?? ""].join("\n");
};

describe("secret masking by position", () => {
  it("a secret query value echoed back form-encoded (my+secret+%28pass%29) is masked in the message and the body", async () => {
    await using client = new Dhis2Client({
      baseUrl,
      auth: new PatAuth({ token: "d2p_masking_test_token_0001" }),
    });
    const err = await failure(client.getRaw("/api/form", { params: { password: FORM_SECRET } }));
    expect(err).toBeInstanceOf(Dhis2ApiError);
    const seen = visible(err);
    for (const spelling of [FORM_SECRET, "my+secret+%28pass%29", encodeURIComponent(FORM_SECRET)]) {
      expect(seen).not.toContain(spelling);
    }
    expect((err as Dhis2ApiError).serverMessage).toBe("Value [redacted] is not valid");
    expect((err as Dhis2ApiError).url).toBe(`${baseUrl}/api/form?password=%5Bredacted%5D`);
  });

  it("a password echoed JSON-escaped in a text body, or HTML-escaped in a Tomcat page, is masked", async () => {
    for (const [path, password, spelling] of [
      ["/api/json", JSON_SECRET, JSON.stringify(JSON_SECRET).slice(1, -1)],
      ["/api/html", HTML_SECRET, "p&lt;a&gt;ss&amp;w&#39;o&#47;rd"],
    ] as const) {
      await using client = new Dhis2Client({ baseUrl, auth: new BasicAuth({ username: "admin", password }) });
      const err = await failure(client.getRaw(path));
      const seen = visible(err);
      expect(seen, path).not.toContain(password);
      expect(seen, path).not.toContain(spelling);
      expect(seen, path).toContain("[redacted]");
    }
  });

  it("a very short secret (2 characters) never mangles unrelated text; it is still masked by position", async () => {
    const events: RequestEvent[] = [];
    await using client = new Dhis2Client({
      baseUrl,
      auth: new BasicAuth({ username: "admin", password: "ta" }),
      onRequest: (e) => events.push(e),
    });
    const err = (await failure(
      client.getRaw("/api/dataElements/Total", { params: { token: "ab", fields: "id,displayName" } }),
    )) as Dhis2ApiError;
    // DHIS2's words and the URL stay byte-exact: no "[redacted]" inside "Total", "data" or "dataElements".
    expect(err.serverMessage).toBe("Data element Total (stable data, value 'ta') not found");
    expect(err.url).toBe(`${baseUrl}/api/dataElements/Total?token=%5Bredacted%5D&fields=id%2CdisplayName`);
    expect(events[0]?.headers.authorization).toBe("[redacted]");
    expect(events[0]?.url).toBe(err.url);
  });

  it("an ordinary-word password (DHIS2's demo password district) never rewrites DHIS2's words; it is masked by position", async () => {
    const events: RequestEvent[] = [];
    await using client = new Dhis2Client({
      baseUrl,
      auth: new BasicAuth({ username: "admin", password: "district" }),
      onRequest: (e) => events.push(e),
    });
    const err = (await failure(client.getRaw("/api/organisationUnits/BoDistrict"))) as Dhis2ApiError;
    expect(err.serverMessage).toBe(
      "Organisation unit Bo district (a district of Southern province) could not be found.",
    );
    expect(events[0]?.headers.authorization).toBe("[redacted]");
    expect(JSON.stringify(events)).not.toContain(Buffer.from("admin:district").toString("base64"));
  });

  it("redactSecrets (OAuth2 error descriptions) masks every spelling and leaves short secrets alone", () => {
    const text = `grant for ${encodeURIComponent("refresh token/+1")} and refresh+token%2F%2B1 and ok`;
    expect(redactSecrets(text, ["refresh token/+1", "ok"])).toBe("grant for *** and *** and ok");
  });
});
