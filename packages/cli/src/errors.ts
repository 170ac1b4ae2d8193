/** Exit codes of the parapet command; the one place they are defined. */
export const EXIT = {
  ok: 0,
  /** The model (or a file) has errors, or `fmt --check` found a file not in canonical form. */
  invalid: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** `analyze --fail-on`: an open threat at or above the level exists. */
  gate: 3,
} as const;

/** A wrong command line: unknown option, missing argument, bad value. */
export class UsageError extends Error {
  readonly code = 'PARAPET_USAGE';
}
