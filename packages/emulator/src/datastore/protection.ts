/**
 * Namespace protection (dhis2-core `DatastoreNamespaceProtection`, enforced by
 * `DefaultDatastoreService.readProtectedIn` / `writeProtectedIn`). Protections are set in code
 * only, by the services that own a namespace; the ones a server without extra apps has:
 *
 * | namespace | reads | writes | authorities | versions | set by |
 * |---|---|---|---|---|---|
 * | `METADATASTORE` | HIDDEN | HIDDEN | F_METADATA_MANAGE | 2.41+ | `DefaultMetadataDatastoreService` |
 * | `ANDROID_SETTINGS_APP` | NONE | RESTRICTED | M_androidsettingsapp | 2.41+ | `AndroidSettingsApp` |
 * | `capture` | NONE | RESTRICTED | F_CAPTURE_DATASTORE_UPDATE | 2.41+ | `CaptureApp` |
 * | `ORG_UNIT_PROFILE` | NONE | RESTRICTED | ALL, F_ORG_UNIT_PROFILE_ADD | 2.41+ | `DefaultOrgUnitProfileService` |
 * | `sms-config` | RESTRICTED | RESTRICTED | F_MOBILE_SENDSMS | 2.42+ | `DefaultSmsConfigurationManager` |
 * | `settings-translations` | RESTRICTED | RESTRICTED | F_SYSTEM_SETTING | 2.42+ | `DefaultSystemSettingsTranslationService` |
 *
 * Which of them a version has is `dataStore.protectedNamespaces` of its row in the client's
 * version table; how each is protected is here.
 *
 * Superusers always pass. RESTRICTED answers 403 "Namespace '<ns>' is protected, access denied";
 * HIDDEN reads act as if the namespace did not exist and HIDDEN writes are silently skipped.
 */
import type { EmulatorUser } from "../users.js";
import { isSuperuser } from "../users.js";

/** `ProtectionType`. */
export type ProtectionType = "NONE" | "HIDDEN" | "RESTRICTED";

/** One namespace's protection. */
export interface NamespaceProtection {
  readonly namespace: string;
  readonly reads: ProtectionType;
  readonly writes: ProtectionType;
  readonly authorities: readonly string[];
}

const ROWS: readonly NamespaceProtection[] = [
  {
    namespace: "METADATASTORE",
    reads: "HIDDEN",
    writes: "HIDDEN",
    authorities: ["F_METADATA_MANAGE"],
  },
  {
    namespace: "ANDROID_SETTINGS_APP",
    reads: "NONE",
    writes: "RESTRICTED",
    authorities: ["M_androidsettingsapp"],
  },
  {
    namespace: "capture",
    reads: "NONE",
    writes: "RESTRICTED",
    authorities: ["F_CAPTURE_DATASTORE_UPDATE"],
  },
  {
    namespace: "ORG_UNIT_PROFILE",
    reads: "NONE",
    writes: "RESTRICTED",
    authorities: ["ALL", "F_ORG_UNIT_PROFILE_ADD"],
  },
  {
    namespace: "sms-config",
    reads: "RESTRICTED",
    writes: "RESTRICTED",
    authorities: ["F_MOBILE_SENDSMS"],
  },
  {
    namespace: "settings-translations",
    reads: "RESTRICTED",
    writes: "RESTRICTED",
    authorities: ["F_SYSTEM_SETTING"],
  },
];

/** The protections of `namespaces` (a version's `dataStore.protectedNamespaces`). */
export function protectionsFor(namespaces: readonly string[]): Map<string, NamespaceProtection> {
  return new Map(
    namespaces.map((ns) => {
      const p = ROWS.find((r) => r.namespace === ns);
      if (!p) throw new Error(`datastore/protection.ts: no protection is described for namespace "${ns}"`);
      return [ns, p];
    }),
  );
}

/** `currentUserHasAuthority`: superusers, or any of the (non-empty) authorities. */
export function hasAuthority(user: EmulatorUser, authorities: readonly string[]): boolean {
  return isSuperuser(user) || authorities.some((a) => user.authorities.includes(a));
}

/** What a user may do in a namespace: read / write it, or see it hidden or refused. */
export function accessOf(
  protection: NamespaceProtection | undefined,
  user: EmulatorUser,
  kind: "reads" | "writes",
): "allowed" | "hidden" | "restricted" {
  if (!protection || protection[kind] === "NONE" || hasAuthority(user, protection.authorities))
    return "allowed";
  return protection[kind] === "RESTRICTED" ? "restricted" : "hidden";
}
