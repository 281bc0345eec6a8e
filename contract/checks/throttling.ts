import { ensure, fail } from '../lib/assert.js';
import { register, strongPassword, type Check, type Context } from '../lib/context.js';

const LOGIN = '/api/v1/auth/login';
const ATTEMPTS = 5;

/** Five wrong passwords for one email, each an ordinary 401. */
async function failFiveTimes(ctx: Context, email: string): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const res = await ctx.http.post(LOGIN, { json: { email, password: strongPassword() } });
    if (res.status !== 401) fail(`wrong password attempt ${attempt} of ${ATTEMPTS}: POST ${LOGIN} → expected 401, got ${res.status}`);
    ctx.spec.expect(res, LOGIN, 401);
  }
}

export const throttlingChecks: Check[] = [
  {
    name: 'throttling: after 5 failed logins the next one answers 429 with Retry-After, even with the right password',
    async run(ctx) {
      const user = await register(ctx);
      await failFiveTimes(ctx, user.email);
      const right = await ctx.http.post(LOGIN, { json: { email: user.email, password: user.password } });
      if (right.status !== 429)
        fail(`6th attempt (right password) after ${ATTEMPTS} failures: POST ${LOGIN} → expected 429, got ${right.status}`);
      ctx.spec.expect(right, LOGIN, 429);
      const retryAfter = Number(right.headers['retry-after']);
      ensure(retryAfter >= 1 && retryAfter <= 60, `Retry-After is ${retryAfter} s, expected 1..60 for a 60 s window`);
      const again = await ctx.http.post(LOGIN, { json: { email: user.email.toUpperCase(), password: strongPassword() } });
      if (again.status !== 429) fail(`7th attempt (same email in upper case): POST ${LOGIN} → expected 429, got ${again.status}`);
      ctx.spec.expect(again, LOGIN, 429);
    },
  },
  {
    name: 'throttling: a throttled email does not block another email from the same client',
    async run(ctx) {
      const blocked = await register(ctx);
      const other = await register(ctx);
      await failFiveTimes(ctx, blocked.email);
      const res = await ctx.http.post(LOGIN, { json: { email: other.email, password: other.password } });
      if (res.status !== 200)
        fail(`login of another email after ${ATTEMPTS} failures for ${blocked.email}: POST ${LOGIN} → expected 200, got ${res.status}`);
      ctx.spec.expect(res, LOGIN, 200);
      const stillBlocked = await ctx.http.post(LOGIN, { json: { email: blocked.email, password: blocked.password } });
      if (stillBlocked.status !== 429) fail(`the throttled email: POST ${LOGIN} → expected 429, got ${stillBlocked.status}`);
    },
  },
];
