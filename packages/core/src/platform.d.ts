// The one platform API core uses beyond ES2022: the WHATWG TextDecoder, present in Node, browsers and
// workers alike. Declared here so that core's lib stays ES2022 (no DOM, no Node types).
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
