import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';

import { unauthorized } from '../auth/authenticate.js';
import type { PasswordHasher } from '../auth/passwords.js';
import type { LoginThrottle } from '../auth/throttle.js';
import type { TokenService } from '../auth/tokens.js';
import { HttpError } from '../http/problem.js';
import type { UserRepository } from '../repositories/users.js';
import { loginBodySchema, registerBodySchema, tokenSchema, userSchema } from './schemas.js';

export interface AuthRoutesOptions {
  users: UserRepository;
  passwords: PasswordHasher;
  tokens: TokenService;
  throttle: LoginThrottle;
  authenticate: onRequestAsyncHookHandler;
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

export function authRoutes(
  app: FastifyInstance,
  { users, passwords, tokens, throttle, authenticate }: AuthRoutesOptions,
): void {
  app.post<{ Body: Credentials }>(
    '/register',
    { schema: { body: registerBodySchema, response: { 201: userSchema } } },
    async (request, reply) => {
      const email = normalizeEmail(request.body.email);
      const user = await users.create(email, await passwords.hash(request.body.password));
      if (!user) throw new HttpError(409, 'This email is already registered');
      return reply.code(201).send({ id: user.id, email: user.email });
    },
  );

  app.post<{ Body: Credentials }>(
    '/login',
    { schema: { body: loginBodySchema, response: { 200: tokenSchema } } },
    async (request) => {
      const email = normalizeEmail(request.body.email);
      const key = `${request.ip} ${email}`;
      const retryAfter = throttle.retryAfterSeconds(key);
      if (retryAfter > 0) {
        throw new HttpError(429, 'Too many failed login attempts; try again later', {
          headers: { 'retry-after': String(retryAfter) },
        });
      }

      const user = await users.findByEmail(email);
      const valid = user
        ? await passwords.verify(user.passwordHash, request.body.password)
        : await passwords.verifyDummy(request.body.password);
      if (!user || !valid) {
        throttle.recordFailure(key);
        // One answer for both cases, so the response does not reveal which emails exist.
        throw unauthorized('Invalid email or password');
      }
      return {
        access_token: await tokens.issue(user.id),
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
