/**
 * DHIS2 UIDs, generated client-side the way DHIS2's `CodeGenerator` does: 11 characters, a letter
 * first, then letters or digits, drawn from a CSPRNG (`crypto.getRandomValues`).
 */
import { Dhis2ClientError } from "./errors.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALPHANUMERIC = `${LETTERS}0123456789`;
const UID_LENGTH = 11;

/**
 * What a DHIS2 UID looks like.
 *
 * @example
 * ```ts
 * UID_RE.test("fClA2Erf6IO"); // true
 * ```
 */
export const UID_RE = /^[A-Za-z][A-Za-z0-9]{10}$/;

/**
 * True when `value` is a well-formed DHIS2 UID (11 characters, a letter first); a type guard,
 * so checked input can be used as a `string`. No server round trip.
 *
 * @example
 * ```ts
 * isValidUid("fClA2Erf6IO"); // true
 * isValidUid("12345678901"); // false: must start with a letter
 * ```
 */
export function isValidUid(value: unknown): value is string {
  return typeof value === "string" && UID_RE.test(value);
}

function cryptoSource(): Crypto {
  const c = globalThis.crypto;
  if (!c?.getRandomValues) {
    throw new Dhis2ClientError(
      "generateUid needs globalThis.crypto.getRandomValues (Node >= 20, any browser)",
    );
  }
  return c;
}

// Rejection sampling: a byte is used only below the largest multiple of the alphabet size, so every
// character is equally likely (a plain `byte % size` would favour the first characters).
function pick(alphabet: string, bytes: Uint8Array, state: { i: number }, refill: () => void): string {
  const limit = 256 - (256 % alphabet.length);
  for (;;) {
    if (state.i >= bytes.length) refill();
    const b = bytes[state.i++]!;
    if (b < limit) return alphabet[b % alphabet.length]!;
  }
}

function makeUid(c: Crypto, bytes: Uint8Array, state: { i: number }): string {
  const refill = () => {
    c.getRandomValues(bytes);
    state.i = 0;
  };
  let uid = pick(LETTERS, bytes, state, refill);
  while (uid.length < UID_LENGTH) uid += pick(ALPHANUMERIC, bytes, state, refill);
  return uid;
}

/**
 * A new random DHIS2 UID.
 *
 * @example
 * ```ts
 * const id = generateUid(); // e.g. "aB3dEf5gH7i"
 * ```
 */
export function generateUid(): string {
  const c = cryptoSource();
  const bytes = new Uint8Array(32);
  c.getRandomValues(bytes);
  return makeUid(c, bytes, { i: 0 });
}

/**
 * `n` new DHIS2 UIDs, all different.
 *
 * @example
 * ```ts
 * const [a, b, c] = generateUids(3);
 * ```
 */
export function generateUids(n: number): string[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new Dhis2ClientError(`generateUids(n): n must be a non-negative integer, got ${n}`);
  }
  const c = cryptoSource();
  const bytes = new Uint8Array(Math.min(65_536, Math.max(32, n * 16)));
  c.getRandomValues(bytes);
  const state = { i: 0 };
  const seen = new Set<string>();
  while (seen.size < n) seen.add(makeUid(c, bytes, state));
  return [...seen];
}
