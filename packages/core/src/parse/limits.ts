/** Bounds that keep hostile input from using unbounded time or memory. All are documented in docs/model-format.md. */
export interface ParseLimits {
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of mappings and sequences. */
  readonly maxDepth: number;
  /** Widest indentation accepted on a YAML line, in columns. */
  readonly maxIndent: number;
  /** Most alias expansions in one YAML document. */
  readonly maxAliases: number;
  /** Most files one model may include, in all. */
  readonly maxIncludes: number;
  /** Longest chain of includes. */
  readonly maxIncludeDepth: number;
  /** Most items in all sections together. */
  readonly maxItems: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 64,
  maxIndent: 512,
  maxAliases: 100,
  maxIncludes: 100,
  maxIncludeDepth: 16,
  maxItems: 1_000_000,
};
