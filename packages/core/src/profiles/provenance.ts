/**
 * Where a {@link Profile} returned by `resolveProfile` / `profileFromEnv` came from, remembered
 * beside it (not in it: a `Profile` stays the plain schema type, and spreading or serialising it
 * carries nothing extra). Core's `openClient` reads it to find the OAuth2 token of a profile read
 * from a file (the `tokens.sqlite` next to that file, keyed by the profile's name), so
 * `openClient(resolveProfile("my-oauth"))` uses the stored token without `{ profileName }`.
 *
 * Keyed by object identity in a WeakMap: a copy (`{ ...profile }`, `Profile.parse(profile)`) is an
 * in-memory profile again, and nothing is kept alive after the profile is dropped. Not exported
 * from the package; `explainProfile` is the public way to ask.
 */
import type { Profile } from "@dhis2w/client";
import type { ProfileScope } from "./paths.js";

/** Which step of the precedence chain produced a profile. */
export type ProfileSource =
  | "explicit"
  | "env:DHIS2_PROFILE"
  | "env:raw"
  | "project-default"
  | "global-default";

/** Where a resolved profile came from. */
export interface ProfileOrigin {
  /** The profile's name; `undefined` for one built from raw env variables. */
  name?: string;
  source: ProfileSource;
  /** The file scope it was read from (absent for `env:raw`). */
  scope?: ProfileScope;
  /** The `profiles.toml` it was read from (absent for `env:raw`). */
  path?: string;
}

const origins = new WeakMap<Profile, ProfileOrigin>();

/** Records where `profile` came from and returns it. */
export function rememberOrigin(profile: Profile, origin: ProfileOrigin): Profile {
  origins.set(profile, origin);
  return profile;
}

/** Where `profile` came from, when this very object was returned by `resolveProfile`. */
export function originOf(profile: Profile): ProfileOrigin | undefined {
  return origins.get(profile);
}
