// OAuth2 for the client: the bearer provider with refresh, the TokenStore contract, and the
// isomorphic token-endpoint and PKCE helpers that @dhis2w/core's login flows build on.
export { OAuth2Auth, type OAuth2AuthOptions } from "./oauth2/auth.js";
export { OAuth2FlowError, type OAuth2FlowErrorCode, redactSecrets } from "./oauth2/errors.js";
export {
  authorizeUrl,
  createPkcePair,
  type PkcePair,
  randomUrlSafe,
  s256Challenge,
  tokenUrlFor,
} from "./oauth2/pkce.js";
export {
  abortable,
  isExpiring,
  MemoryTokenStore,
  type OAuth2Token,
  type RefreshLockOptions,
  type TokenStore,
} from "./oauth2/token.js";
export { requestToken, type TokenEndpoint } from "./oauth2/token-endpoint.js";
