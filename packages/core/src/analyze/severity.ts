import { LEVELS, type Level } from '../schema/common.js';

/** The position of a level, 0 (very-low) to 4 (very-high). */
export const levelIndex = (level: Level): number => LEVELS.indexOf(level);

/** Moves a level by `steps` (negative lowers it), staying within very-low..very-high. */
export function shiftLevel(level: Level, steps: number): Level {
  return LEVELS[Math.min(LEVELS.length - 1, Math.max(0, levelIndex(level) + steps))] ?? level;
}

// NIST SP 800-30 Rev. 1, Table I-2: level of risk by likelihood (rows, very-low first) and impact (columns).
const MATRIX: readonly (readonly Level[])[] = [
  ['very-low', 'very-low', 'very-low', 'low', 'low'],
  ['very-low', 'low', 'low', 'low', 'medium'],
  ['very-low', 'low', 'medium', 'medium', 'high'],
  ['very-low', 'low', 'medium', 'high', 'very-high'],
  ['very-low', 'low', 'medium', 'high', 'very-high'],
];

/**
 * The severity of a threat from its likelihood and impact, by the NIST SP 800-30 risk matrix.
 *
 * @example
 * rateSeverity('high', 'very-high') // 'very-high'
 * rateSeverity('low', 'high') // 'low'
 */
export function rateSeverity(likelihood: Level, impact: Level): Level {
  return MATRIX[levelIndex(likelihood)]?.[levelIndex(impact)] ?? 'medium';
}
