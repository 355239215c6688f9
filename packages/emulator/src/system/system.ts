import type { EmulatorModule } from "../app.js";
import { generateUid } from "../uid.js";
import { HttpError } from "../web-message.js";
import { installSystemSettings } from "./settings.js";
import { systemInfo } from "./system-info.js";

/** `/api/system/*` and `/api/systemSettings`. */
export const systemModule: EmulatorModule = {
  name: "system",
  install(app) {
    app.get("/api/system/info", (ctx) => ctx.json(200, systemInfo(ctx)));

    // Ping is open on real servers (load balancers use it).
    app.get("/api/system/ping", (ctx) => ctx.text(200, "pong"), { auth: false });

    // Up to 10,000 codes per call, like SystemController#getUid.
    app.get("/api/system/id", (ctx) => {
      const raw = ctx.query.get("limit") ?? "1";
      const limit = Number(raw);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new HttpError(400, `limit must be a positive integer, got ${JSON.stringify(raw)}`);
      }
      const n = Math.min(limit, 10_000);
      const codes = new Set<string>();
      while (codes.size < n) codes.add(generateUid());
      ctx.json(200, { codes: [...codes] });
    });
    app.get("/api/system/uid", (ctx) => ctx.json(200, { codes: [generateUid()] }));

    installSystemSettings(app);
  },
};
