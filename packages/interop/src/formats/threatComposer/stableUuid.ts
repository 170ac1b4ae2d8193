/** A UUID as Threat Composer writes its ids: 8-4-4-4-12 lower-case hex digits. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 32-bit FNV-1a hash of a text's UTF-16 code units: small, pure and the same on every platform. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A UUID-shaped id derived from a text, always the same for the same text (no randomness, no clock): four
 * FNV-1a hashes of the text under different prefixes make its 128 bits, with the version (4) and variant bits
 * set so that tools expecting a v4 UUID accept it.
 */
export function stableUuid(text: string): string {
  const hex = [0, 1, 2, 3].map((part) => fnv1a(`${part}:${text}`).toString(16).padStart(8, '0')).join('');
  const variant = '89ab'[parseInt(hex.charAt(16), 16) & 3] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Hands out distinct Threat Composer ids: kept ones as they are, others derived from Parapet ids. */
export class UuidAllocator {
  readonly #used = new Set<string>();

  /** The given UUID when it is well formed and not yet used, else one derived from `text`. */
  keepOrDerive(candidate: string | undefined, text: string): string {
    if (candidate !== undefined && UUID_PATTERN.test(candidate)) {
      const lower = candidate.toLowerCase();
      if (!this.#used.has(lower)) {
        this.#used.add(lower);
        return candidate;
      }
    }
    return this.derive(text);
  }

  /** A UUID derived from `text`, rehashed with a counter in the (unlikely) case it is already used. */
  derive(text: string): string {
    let uuid = stableUuid(text);
    for (let attempt = 2; this.#used.has(uuid); attempt++) uuid = stableUuid(`${text}#${attempt}`);
    this.#used.add(uuid);
    return uuid;
  }
}
