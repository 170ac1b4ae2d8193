/**
 * Threat Composer's threat grammar: "A [threat source] [prerequisites] can [threat action], which leads to
 * [threat impact], resulting in reduced [impacted goal] of [impacted assets]", with the parts that are
 * missing left out, as Threat Composer renders it.
 */

/** The grammar fields of one threat, as Threat Composer stores them (the source without its article). */
export interface StatementFields {
  readonly threatSource: string;
  readonly prerequisites?: string;
  readonly threatAction: string;
  readonly threatImpact?: string;
  readonly impactedGoal: readonly string[];
  readonly impactedAssets: readonly string[];
}

/** Words starting with a vowel letter that take "a" ("a user"), and with a consonant that take "an" ("an hour"). */
const VOWEL_LETTER_CONSONANT_SOUND = /^(uni|use|usu|usa|uti|ure|eu|ewe|one|once)/i;
const SILENT_H = /^(hour|honest|honou?r|heir)/i;

/** "A" or "An" for a phrase, by the sound of its first word, close to what Threat Composer picks. */
export function indefiniteArticle(phrase: string): 'A' | 'An' {
  const word = phrase.trimStart();
  if (SILENT_H.test(word)) return 'An';
  if (VOWEL_LETTER_CONSONANT_SOUND.test(word)) return 'A';
  return /^[aeiou]/i.test(word) ? 'An' : 'A';
}

const LEADING_ARTICLE = /^(a|an)\s+/i;

/** A Parapet statement source ("An external attacker") from a Threat Composer source ("external attacker"). */
export function sourceWithArticle(threatSource: string): string {
  if (LEADING_ARTICLE.test(threatSource) || /^the\s/i.test(threatSource)) return threatSource;
  return `${indefiniteArticle(threatSource)} ${threatSource}`;
}

/** A Threat Composer source ("external attacker") from a Parapet one ("An external attacker"). */
export function sourceWithoutArticle(source: string): string {
  const stripped = source.replace(LEADING_ARTICLE, '');
  return stripped === '' ? source : stripped;
}

/** Items joined as Threat Composer writes lists: "a, b and c" (goals: "a and/or b"). */
export function joinList(items: readonly string[], conjunction: 'and' | 'and/or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;
}

/**
 * What stands in for Parapet's required impact when a threat has no `threatImpact`: "reduced integrity of
 * threat composer", "reduced availability", "harm to threats and mitigations"; undefined when there are neither
 * goals nor assets.
 */
export function impactStandIn(goals: readonly string[], assets: readonly string[]): string | undefined {
  const goalText = joinList(goals, 'and/or');
  const assetText = joinList(assets, 'and');
  if (goalText !== '') return assetText === '' ? `reduced ${goalText}` : `reduced ${goalText} of ${assetText}`;
  return assetText === '' ? undefined : `harm to ${assetText}`;
}

/** The statement's ending about goals and assets, as Threat Composer writes it. */
function goalsAndAssetsEnding(goals: readonly string[], assets: readonly string[]): string {
  const goalText = joinList(goals, 'and/or');
  const assetText = joinList(assets, 'and');
  if (goalText !== '')
    return assetText === ''
      ? `, resulting in reduced ${goalText}`
      : `, resulting in reduced ${goalText} of ${assetText}`;
  return assetText === '' ? '' : `, negatively impacting ${assetText}`;
}

/** The full statement text Threat Composer shows for the fields. */
export function renderStatement(fields: StatementFields): string {
  const source = sourceWithArticle(fields.threatSource);
  let text = `${source} ${fields.prerequisites ?? ''} can ${fields.threatAction}`;
  if (fields.threatImpact) text += `, which leads to ${fields.threatImpact}`;
  text += goalsAndAssetsEnding(fields.impactedGoal, fields.impactedAssets);
  return text.replace(/\s\s+/g, ' ').replace(/ ,/g, ',').trim();
}

/**
 * A form of a statement text for comparing two renderings: case, spacing and the choice between "a" and "an"
 * (Threat Composer corrects articles inside the fields as well) do not count.
 */
export function statementKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\ban\b/g, 'a')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A Parapet threat title from a statement: "A threat actor can read local storage". */
export function titleFromStatement(source: string, action: string): string {
  return `${source} can ${action}`;
}
