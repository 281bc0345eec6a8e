import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { fail, show } from '../lib/assert.js';
import type { Check, Context } from '../lib/context.js';
import type { ContractOptions } from '../suite.js';

/** After the first failure, how many more inputs shrinking may try against the server. */
const SHRINK_BUDGET = 40;
/** A property stops generating after this long (it passes if nothing failed by then). */
const TIME_LIMIT_MS = 45_000;
/** One generated input may take this long (a request times out after 15 s). */
const RUN_TIMEOUT_MS = 60_000;

/**
 * The seed every property derives its own from: `options.seed`, else `CONTRACT_SEED`, else
 * random. The same base seed generates the same inputs again (the server's state aside).
 */
export function baseSeed(options: ContractOptions): number {
  if (options.seed !== undefined) return options.seed;
  const env = process.env.CONTRACT_SEED;
  if (env !== undefined && env !== '') {
    const seed = Number(env);
    if (!Number.isSafeInteger(seed)) throw new Error(`CONTRACT_SEED must be an integer, got ${env}`);
    return seed;
  }
  return randomInt(0, 2 ** 31);
}

/** A property's own seed: the base seed mixed with its name (FNV-1a), so each is reproducible alone. */
function seedOf(base: number, name: string): number {
  let hash = 0x811c9dc5;
  for (const c of name) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193);
  return (base ^ hash) | 0;
}

export interface PropertySpec<T, S> {
  name: string;
  runs: number;
  /**
   * false: report the first failing input as it is. For inputs that leave state behind (a
   * registered address), replaying a shrunk one would meet that state and fail for another reason.
   */
  shrink?: boolean;
  /** Prepares what every generated input shares (an account, an item); runs once per check. */
  setup: (ctx: Context) => Promise<S>;
  arbitrary: (ctx: Context, state: S) => fc.Arbitrary<T>;
  /** Throws (a CheckFailure with the request, the expectation and the answer) when the server breaks the contract. */
  predicate: (ctx: Context, state: S, value: T) => Promise<void>;
}

/**
 * A check that runs a fast-check property against the live server: `runs` inputs from a seed
 * derived from the run's base seed, a little shrinking after a failure (each try costs requests),
 * and a failure message with the smallest input found, the server's answer, and the seed.
 */
export function propertyCheck<T, S>(spec: PropertySpec<T, S>): Check {
  return {
    name: spec.name,
    async run(ctx) {
      const state = await spec.setup(ctx);
      const base = ctx.seed;
      const seed = seedOf(base, spec.name);
      let failures = 0;
      let afterFailure = 0;
      const property = fc.asyncProperty(spec.arbitrary(ctx, state), async (value) => {
        // Past the budget every input counts as passing, which ends shrinking where it is.
        if (failures > 0 && ++afterFailure > SHRINK_BUDGET) return;
        try {
          await spec.predicate(ctx, state, value);
        } catch (error) {
          failures++;
          throw error;
        }
      });
      const details = await fc.check(property, {
        seed,
        numRuns: spec.runs,
        endOnFailure: spec.shrink === false,
        plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS), fc.timeout(RUN_TIMEOUT_MS)],
      });
      if (!details.failed) return;
      const error = details.errorInstance;
      const why = error instanceof Error ? error.message : String(error);
      const counterexample = details.counterexample as unknown[] | null | undefined;
      const input = counterexample ? show(fc.stringify(counterexample[0]), 600) : '(none)';
      fail(
        `${why} — generated input: ${input}; after ${details.numRuns} of ${spec.runs} runs and ${details.numShrinks} shrinks; ` +
          `seed ${seed}, path ${details.counterexamplePath ?? '-'} (CONTRACT_SEED=${base} repeats the run)`,
      );
    },
  };
}
