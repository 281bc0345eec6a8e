import type { Profile, StackId } from '../answers/questions.js';
import { RULES, STACK_ORDER, STANDING_CONSIDERATIONS, type Rule } from './rules.js';

/** One stack's place in the ranking. */
export interface RankedStack {
  readonly stack: StackId;
  readonly score: number;
  /** Why it fits, strongest first. */
  readonly reasons: readonly string[];
  /** What speaks against it for these answers, strongest first, then its standing considerations. */
  readonly considerations: readonly string[];
}

/** The full recommendation: every stack ranked, best first. */
export interface Recommendation {
  readonly ranking: readonly RankedStack[];
  readonly winner: RankedStack;
}

function fires(rule: Rule, profile: Profile): boolean {
  return Object.entries(rule.when).every(([key, value]) => profile[key as keyof Profile] === value);
}

/**
 * Ranks the four stacks for a project profile. Pure and deterministic: the same answers always
 * give the same ranking, and equal scores keep {@link STACK_ORDER}.
 */
export function recommend(profile: Profile): Recommendation {
  const ranking = STACK_ORDER.map((stack): RankedStack => {
    const effects = RULES.filter((rule) => fires(rule, profile))
      .map((rule) => rule.effects[stack])
      .filter((effect) => effect !== undefined);
    const byStrength = [...effects].sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
    return {
      stack,
      score: effects.reduce((sum, e) => sum + e.score, 0),
      reasons: byStrength.filter((e) => e.score > 0).map((e) => e.why),
      considerations: [
        ...byStrength.filter((e) => e.score < 0).map((e) => e.why),
        ...STANDING_CONSIDERATIONS[stack],
      ],
    };
  });
  // Array.prototype.sort is stable, so ties keep STACK_ORDER.
  ranking.sort((a, b) => b.score - a.score);
  return { ranking, winner: ranking[0]! };
}
