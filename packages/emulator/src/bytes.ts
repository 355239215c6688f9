/**
 * Bytes, text, randomness and hashes without `node:` modules, so the emulator runs in a browser
 * page or a Service Worker as well as in Node (Web Crypto's `getRandomValues`, `TextEncoder`,
 * `atob`/`btoa` are globals in both; SHA-1/SHA-256 come from `@noble/hashes`, because Web Crypto's
 * `digest` is asynchronous and password checks are not).
 */
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Bytes read as UTF-8 (malformed sequences become U+FFFD, as `Buffer#toString` does). */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Base64 (standard alphabet, padding optional) to text read as UTF-8; undefined when not base64. */
export function base64ToText(b64: string): string | undefined {
  try {
    const binary = atob(b64.trim());
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return fromUtf8(bytes);
  } catch {
    return undefined;
  }
}

/** Bytes as unpadded base64url (RFC 4648 section 5), as OAuth2 tokens and PKCE challenges use. */
export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Bytes as lower-case hex. */
export function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** SHA-256 of a string's UTF-8 bytes. */
export function sha256Of(s: string): Uint8Array {
  return sha256(utf8(s));
}

/** SHA-1 of a string's UTF-8 bytes (dhis2-core's query alias ids). */
export function sha1Of(s: string): Uint8Array {
  return sha1(utf8(s));
}

/** Compares two byte arrays in time that depends only on their length (secrets, digests). */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** `n` cryptographically random bytes. */
export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/**
 * A cryptographically random integer in `[0, n)`, without modulo bias (rejection sampling), for
 * `0 < n <= 2^32`.
 *
 * @example
 * randomInt(62); // 0..61
 */
export function randomInt(n: number): number {
  if (!(n > 0 && n <= 2 ** 32 && Number.isInteger(n))) throw new RangeError(`randomInt: bad range ${n}`);
  const limit = 2 ** 32 - (2 ** 32 % n);
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    const v = word[0] as number;
    if (v < limit) return v % n;
  }
}
