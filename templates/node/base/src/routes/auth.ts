import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

import { unauthorized } from '../auth/authenticate.js';
import type { AuthEventLog } from '../auth/events.js';
import type { PasswordHasher, PasswordPolicy } from '../auth/passwords.js';
import { RateLimitUnavailableError, type RateLimiter } from '../auth/throttle.js';
import type { TokenService } from '../auth/tokens.js';
import { HttpError } from '../http/problem.js';
import type { UserRepository } from '../repositories/users.js';
import { loginBodySchema, registerBodySchema, tokenSchema, userSchema } from './schemas.js';

export interface AuthLimiters {
  /** Failed logins per (client address, email). */
  loginPerAccount: RateLimiter;
  /** Failed logins per client address, whatever the emails. */
  loginPerClient: RateLimiter;
  /** Registrations per client address. */
  registrationPerClient: RateLimiter;
}

export interface AuthRoutesOptions {
  users: UserRepository;
  passwords: PasswordHasher;
  passwordPolicy: PasswordPolicy;
  tokens: TokenService;
  limiters: AuthLimiters;
  authenticate: onRequestAsyncHookHandler;
  events: AuthEventLog;
}

interface Credentials {
  email: string;
  password: string;
}

/**
 * Emails are compared case-insensitively: stored and looked up lower-cased. Registered emails are
 * ASCII, so this never changes their length.
 */
export function normalizeEmail(email: string): string {
  return email.toLowerCase();
}

/** How soon a client may retry while the rate-limit store is unreachable. */
const STORE_RETRY_AFTER_SECONDS = 5;

function tooManyRequests(detail: string, retryAfterSeconds: number): HttpError {
  return new HttpError(429, detail, { headers: { 'retry-after': String(retryAfterSeconds) } });
}

/**
 * Runs a rate-limit step; a store that cannot answer turns into 503. Failing closed: without its
 * budget, a login or registration is refused rather than let through unlimited.
 */
async function limited<T>(request: FastifyRequest, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof RateLimitUnavailableError)) throw error;
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    request.log.warn({ error: cause }, 'rate limit store unavailable');
    throw new HttpError(503, 'rate limit store unavailable', {
      headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
    });
  }
}

export function authRoutes(
  app: FastifyInstance,
  { users, passwords, passwordPolicy, tokens, limiters, authenticate, events }: AuthRoutesOptions,
): void {
  app.post<{ Body: Credentials }>(
    '/register',
    { schema: { body: registerBodySchema, response: { 201: userSchema } } },
    async (request, reply) => {
      // Counted before any hashing, taken or not: a client cannot mass-create accounts or use
      // the 409 to test many emails.
      const retryAfter = await limited(request, () =>
        limiters.registrationPerClient.take(request.ip),
      );
      if (retryAfter > 0) {
        events.record(request, 'register.throttled');
        throw tooManyRequests(
          'Too many registrations from this address; try again later',
          retryAfter,
        );
      }
      const email = normalizeEmail(request.body.email);
      const weakness = passwordPolicy.problem(request.body.password, email);
      if (weakness) {
        throw new HttpError(422, 'The request is invalid', {
          errors: [{ field: 'password', message: weakness }],
        });
      }
      const user = await users.create(email, await passwords.hash(request.body.password));
      if (!user) throw new HttpError(409, 'This email is already registered');
      events.record(request, 'register.succeeded', user.id);
      return reply.code(201).send({ id: user.id, email: user.email });
    },
  );

  app.post<{ Body: Credentials }>(
    '/login',
    { schema: { body: loginBodySchema, response: { 200: tokenSchema } } },
    async (request) => {
      const email = normalizeEmail(request.body.email);
      // The socket's address, or what a proxy in TRUSTED_PROXIES forwarded: never a header the
      // client itself could choose.
      const client = request.ip;
      const account = `${client} ${email}`;

      // Each attempt spends a unit of both budgets before the password is looked at, so
      // concurrent guesses cannot all slip in before the first failure is counted; a success
      // gives them back. Exhausted → 429 without verifying anything.
      const accountWait = await limited(request, () => limiters.loginPerAccount.take(account));
      if (accountWait > 0) {
        events.record(request, 'login.throttled');
        throw tooManyRequests(
          'Too many failed logins for this email; try again later',
          accountWait,
        );
      }
      const clientWait = await limited(request, () => limiters.loginPerClient.take(client));
      if (clientWait > 0) {
        await limited(request, () => limiters.loginPerAccount.giveBack(account));
        events.record(request, 'login.throttled');
        throw tooManyRequests(
          'Too many failed logins from this address; try again later',
          clientWait,
        );
      }

      const user = await users.findByEmail(email);
      const valid = user
        ? await passwords.verify(user.passwordHash, request.body.password)
        : await passwords.verifyDummy(request.body.password);
      // One answer for both cases, so the response does not reveal which emails exist.
      if (!user || !valid) {
        events.record(request, 'login.failed');
        throw unauthorized('Invalid email or password');
      }

      await limited(request, async () => {
        await limiters.loginPerAccount.giveBack(account);
        await limiters.loginPerClient.giveBack(client);
      });
      events.record(request, 'login.succeeded', user.id);
      return {
        access_token: tokens.issue(user.id),
        token_type: 'Bearer',
        expires_in: tokens.ttlSeconds,
      };
    },
  );

  app.get(
    '/me',
    { onRequest: authenticate, schema: { response: { 200: userSchema } } },
    async (request) => {
      const user = await users.findById(request.userId);
      // Deleted since `authenticate` looked: no longer anyone.
      if (!user) throw unauthorized();
      return { id: user.id, email: user.email };
    },
  );
}
