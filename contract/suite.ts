import { authChecks } from './checks/auth.js';
import { concurrencyChecks } from './checks/concurrency.js';
import { emailChecks } from './checks/emails.js';
import { eventChecks } from './checks/events.js';
import { databaseFailureCheck, errorChecks } from './checks/errors.js';
import { headerChecks } from './checks/headers.js';
import { healthChecks } from './checks/health.js';
import { idChecks } from './checks/ids.js';
import { addressLimitChecks } from './checks/limits-per-address.js';
import { limitChecks } from './checks/limits.js';
import { methodChecks } from './checks/methods.js';
import { noteChecks } from './checks/notes.js';
import { nulChecks } from './checks/nul.js';
import { passwordChecks } from './checks/passwords.js';
import { resourceChecks } from './checks/resources.js';
import { routerChecks } from './checks/router.js';
import { throttlingChecks } from './checks/throttling.js';
import { tokenClaimChecks } from './checks/token-claims.js';
import { tokenChecks } from './checks/tokens.js';
import { validationChecks } from './checks/validation.js';
import { SourceAddresses } from './lib/addresses.js';
import { CheckFailure } from './lib/assert.js';
import type { Check, Context } from './lib/context.js';
import { HttpClient } from './lib/http.js';
import { Spec } from './lib/openapi.js';
import { propertyChecks } from './properties/index.js';
import { baseSeed } from './properties/runner.js';

export interface ContractOptions {
  /** Where the server listens, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  /** The server's JWT_SECRET; needed to forge tokens that differ from a real one in one respect. */
  jwtSecret?: string;
  /** An origin listed in the server's CORS_ORIGINS. */
  allowedOrigin?: string;
  /** The server runs with APP_ENV=production. */
  production?: boolean;
  /** The project's `openapi.json`; by default the document of a new project (notes only). */
  specFile?: string;
  /** Breaks the server's database behind its back (drops the `notes` table); used by the last check. */
  breakDatabase?: () => Promise<void>;
  /** The base seed of the generated inputs; by default `CONTRACT_SEED`, else random (printed). */
  seed?: number;
  /** Runs only the checks whose name contains this text (to repeat one failure). */
  only?: string;
  log?: (line: string) => void;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  error?: string;
  /** How long the check took. */
  ms: number;
}

export interface ContractReport {
  checks: CheckResult[];
  passed: number;
  failed: number;
}

/**
 * Every fixed check, in the order they run. The set never depends on the options: a check that
 * needs a missing option fails and names it. The database failure check breaks the server, so it
 * is last.
 */
export const CHECKS: readonly Check[] = [
  ...healthChecks,
  ...authChecks,
  ...emailChecks,
  ...passwordChecks,
  ...nulChecks,
  ...tokenChecks,
  ...tokenClaimChecks,
  ...noteChecks,
  ...idChecks,
  ...validationChecks,
  ...limitChecks,
  ...throttlingChecks,
  ...addressLimitChecks,
  ...concurrencyChecks,
  ...headerChecks,
  ...errorChecks,
  ...methodChecks,
  ...routerChecks,
  databaseFailureCheck,
];

/**
 * The checks for a document: every fixed check, those of each generated resource it describes,
 * then the property phase (generated from the document), with the database failure check last.
 */
export function checksFor(spec: Spec): Check[] {
  return [...CHECKS.slice(0, -1), ...resourceChecks(spec), ...eventChecks(spec), ...propertyChecks(spec), ...CHECKS.slice(-1)];
}

/** Runs every check against a live server, one after another; never throws for a failing check. */
export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const spec = Spec.load(options.specFile);
  const server = new HttpClient(options.baseUrl);
  const addresses = await SourceAddresses.for(options.baseUrl);
  if (!addresses.several) {
    options.log?.(
      'note: every request comes from one source address (the server is not on 127.0.0.0/8, or this machine cannot bind ' +
        'other loopback addresses), so the per-address limits (30 failed logins per 900 s, 10 registrations per hour) may answer 429 to later checks',
    );
  }
  const seed = baseSeed(options);
  options.log?.(`note: generated inputs use seed ${seed} (CONTRACT_SEED=${seed} generates them again)`);
  const results: CheckResult[] = [];
  const checks = checksFor(spec).filter((check) => options.only === undefined || check.name.includes(options.only));
  for (const check of checks) {
    const ctx: Context = { http: server.withAddress(addresses.take()), spec, options, seed, client: () => server.withAddress(addresses.take()) };
    const started = performance.now();
    let result: CheckResult;
    try {
      await check.run(ctx);
      result = { name: check.name, ok: true, ms: 0 };
    } catch (error) {
      result = { name: check.name, ok: false, error: explain(error), ms: 0 };
    }
    result.ms = Math.round(performance.now() - started);
    results.push(result);
    options.log?.(result.ok ? `ok   ${result.name}` : `FAIL ${result.name}: ${result.error}`);
  }
  const passed = results.filter((result) => result.ok).length;
  return { checks: results, passed, failed: results.length - passed };
}

function explain(error: unknown): string {
  if (error instanceof CheckFailure) return oneLine(error.message);
  if (error instanceof Error) return oneLine(`${error.name}: ${error.message}`);
  return oneLine(String(error));
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');
