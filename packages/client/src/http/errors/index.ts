export { Dhis2ApiError, type Dhis2ApiErrorInit } from "./api-error.js";
export { AuthenticationError } from "./authentication-error.js";
export { Dhis2NetworkError } from "./network-error.js";
export { ResponseTooLargeError } from "./response-too-large-error.js";
export { Dhis2TimeoutError } from "./timeout-error.js";
export { UnsupportedVersionError } from "./unsupported-version-error.js";
