import { hex, randomInt, sha256Of } from "./bytes.js";
import { crc32 } from "./crc32.js";
import { generateUid, randomCode } from "./uid.js";

/**
 * Personal access tokens. Format from dhis2-core `ApiTokenType.PERSONAL_ACCESS_TOKEN_V2`
 * (prefix `d2p`, 44 random alphanumerics, a CRC32 checksum in base62) and
 * `ApiKeyTokenGenerator` (the server stores only a SHA-256 hash of the token):
 * github.com/dhis2/dhis2-core dhis-2/dhis-api/src/main/java/org/hisp/dhis/security/apikey/.
 */
export interface ApiTokenRecord {
  id: string;
  /** SHA-256 hex of the plaintext token; the plaintext is never stored. */
  key: string;
  type: "PERSONAL_ACCESS_TOKEN_V2" | "PERSONAL_ACCESS_TOKEN";
  version: number;
  /** Expiry, epoch milliseconds. */
  expire: number;
  userId: string;
  attributes: unknown[];
  created: string;
  lastUpdated: string;
}

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function base62(n: number): string {
  let s = "";
  do {
    s = B62[n % 62]! + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s;
}

/** SHA-256 hex, the form tokens are stored and looked up in. */
export function hashToken(plaintext: string): string {
  return hex(sha256Of(plaintext));
}

/** A new V2 personal access token: `d2p_` + 44 alphanumerics + base62 CRC32 of those. */
export function newPatPlaintext(nextInt: (n: number) => number = randomInt): string {
  const code = randomCode(44, nextInt);
  return `d2p_${code}${base62(crc32(code))}`;
}

/** The outcome of looking a presented token up. */
export type TokenCheck = { ok: true; record: ApiTokenRecord } | { ok: false; reason: "unknown" | "expired" };

/** The token table, keyed by hash. */
export class ApiTokenStore {
  readonly #byHash = new Map<string, ApiTokenRecord>();
  readonly #byId = new Map<string, ApiTokenRecord>();

  /** Creates a token; the plaintext is returned once and not kept. */
  create(input: {
    userId: string;
    expire: number;
    type?: ApiTokenRecord["type"];
    attributes?: unknown[];
    stamp: string;
  }): { plaintext: string; record: ApiTokenRecord } {
    const plaintext = newPatPlaintext();
    const record: ApiTokenRecord = {
      id: generateUid(),
      key: hashToken(plaintext),
      type: input.type ?? "PERSONAL_ACCESS_TOKEN_V2",
      version: input.type === "PERSONAL_ACCESS_TOKEN" ? 1 : 2,
      expire: input.expire,
      userId: input.userId,
      attributes: input.attributes ?? [],
      created: input.stamp,
      lastUpdated: input.stamp,
    };
    this.#byHash.set(record.key, record);
    this.#byId.set(record.id, record);
    return { plaintext, record };
  }

  /** Looks a presented plaintext token up, checking expiry against `nowMs`. */
  check(plaintext: string, nowMs: number): TokenCheck {
    const record = this.#byHash.get(hashToken(plaintext));
    if (!record) return { ok: false, reason: "unknown" };
    if (record.expire <= nowMs) return { ok: false, reason: "expired" };
    return { ok: true, record };
  }

  byId(id: string): ApiTokenRecord | undefined {
    return this.#byId.get(id);
  }

  /** The tokens of one user. */
  ofUser(userId: string): ApiTokenRecord[] {
    return [...this.#byId.values()].filter((r) => r.userId === userId);
  }

  delete(id: string): boolean {
    const r = this.#byId.get(id);
    if (!r) return false;
    this.#byId.delete(id);
    this.#byHash.delete(r.key);
    return true;
  }
}
