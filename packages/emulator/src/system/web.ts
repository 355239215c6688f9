import type { EmulatorModule } from "../app.js";

const LOGIN_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>DHIS 2</title></head>' +
  '<body><div id="root">DHIS2 login (emulated)</div></body></html>';

/**
 * Non-API pages: `/` redirects like the real server (302 to the login app, or to another origin
 * when the emulator plays a server behind a redirecting front door), the login app answers HTML,
 * and the `rawData` HTML-404 quirk (QUIRKS.md: `/api/analytics/rawData` without `.json`).
 */
export const webModule: EmulatorModule = {
  name: "web",
  install(app) {
    app.get(
      "/",
      (ctx) => {
        const target = app.options.redirectRootTo;
        ctx.redirect(target ?? `${ctx.origin}/dhis-web-login/`, 302);
      },
      { auth: false },
    );
    app.get("/dhis-web-login/", (ctx) => ctx.html(200, LOGIN_PAGE), { auth: false });
    app.get("/dhis-web-login", (ctx) => ctx.redirect(`${ctx.origin}/dhis-web-login/`, 302), { auth: false });

    app.before((ctx) => {
      if (ctx.path === "/api/analytics/rawData" && ctx.ext === undefined) {
        ctx.tomcatError(404);
        return true;
      }
      return false;
    });
  },
};
