export { type App, AppInstallError, Apps } from "./apps.js";
