export { type OpenBrowser, openSystemBrowser, openWithDesktop, printAuthorizationUrl } from "./browser.js";
export {
  grantForProfile,
  type LoginGrant,
  type LoginProfileOptions,
  type LoginResult,
  loginProfile,
  loginWithClientCredentials,
  loginWithPkce,
  type PkceLoginOptions,
} from "./login.js";
export { type LoopbackReceiver, type LoopbackReceiverOptions, startLoopbackReceiver } from "./loopback.js";
