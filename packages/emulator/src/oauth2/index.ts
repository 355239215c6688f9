import type { EmulatorModule } from "../app.js";
import { installClientsApi } from "./clients-api.js";
import { installAuthorizationServer } from "./routes.js";
import { DEMO_OAUTH2_CLIENT, OAuth2Server } from "./server.js";

export {
  DEMO_OAUTH2_CLIENT,
  OAuth2Server,
  type OAuth2ServerSettings,
  type OAuth2Stats,
  type RegisteredClient,
  redirectUriMatches,
} from "./server.js";

declare module "../app.js" {
  interface EmulatorExtensions {
    /** The OAuth2 authorization server (settings, registered clients, `stats`). */
    oauth2?: OAuth2Server;
  }
}

/**
 * The OAuth2 module: DHIS2's authorization server (`/oauth2/*`, discovery, Bearer validation on
 * `/api/*`) and `/api/oAuth2Clients`, with the demo client `dhis2w-demo` pre-registered (all three
 * grants; loopback redirect URIs on any port).
 */
export const oauth2Module: EmulatorModule = {
  name: "oauth2",
  install(app) {
    const server = new OAuth2Server(app.state.clock);
    server.register({
      id: "dhis2wDemo1",
      name: "dhis2w demo client",
      clientId: DEMO_OAUTH2_CLIENT.clientId,
      clientSecret: DEMO_OAUTH2_CLIENT.clientSecret,
      redirectUris: [...DEMO_OAUTH2_CLIENT.redirectUris],
      grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
    });
    app.extensions.oauth2 = server;
    installAuthorizationServer(app, server);
    installClientsApi(app, server);
  },
};
