/**
 * The limits keyed on the client's address (the socket peer): the login throttle under
 * concurrency and behind a forged X-Forwarded-For, the per-address cap on failed logins across
 * emails, and the registration limit. Each check works from addresses of its own (see
 * lib/addresses.ts), so the limits it exhausts bind nobody else.
 */
import { ensure, fail, show } from '../lib/assert.js';
import { register, strongPassword, uniqueEmail, type Check, type Context } from '../lib/context.js';
import type { HttpClient, HttpResponse } from '../lib/http.js';

const LOGIN = '/api/v1/auth/login';
const REGISTER = '/api/v1/auth/register';
const PER_EMAIL = 5;
const PER_ADDRESS = 30;
const REGISTRATIONS = 10;

function expectThrottled(ctx: Context, res: HttpResponse, template: string, window: number, what: string): void {
  if (res.status !== 429) fail(`${what}: ${res.method} ${res.path} → expected 429, got ${res.status}; body: ${show(res.text)}`);
  ctx.spec.expect(res, template, 429);
  const retryAfter = Number(res.headers['retry-after']);
  ensure(retryAfter >= 1 && retryAfter <= window, `${what}: Retry-After is ${res.headers['retry-after']}, expected 1..${window} for a ${window} s window`);
}

const wrongLogin = (http: HttpClient, email: string, headers: Record<string, string> = {}): Promise<HttpResponse> =>
  http.post(LOGIN, { json: { email, password: strongPassword() }, headers });

export const addressLimitChecks: Check[] = [
  {
    name: 'throttling: 20 concurrent wrong passwords for one email answer at most 5 × 401 and otherwise 429; then the right one answers 429',
    async run(ctx) {
      const user = await register(ctx, uniqueEmail('race'), strongPassword(), ctx.client());
      const answers = await Promise.all(Array.from({ length: 20 }, () => wrongLogin(ctx.http, user.email)));
      const counts = new Map<number, number>();
      for (const res of answers) counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      const summary = [...counts].map(([status, n]) => `${n} × ${status}`).join(', ');
      const unauthorized = counts.get(401) ?? 0;
      if (unauthorized > PER_EMAIL || unauthorized + (counts.get(429) ?? 0) !== answers.length) {
        fail(`20 concurrent wrong passwords for one email from one address: expected at most ${PER_EMAIL} × 401 and the rest 429, got ${summary}`);
      }
      for (const res of answers) ctx.spec.expect(res, LOGIN, res.status);
      const right = await ctx.http.post(LOGIN, { json: { email: user.email, password: user.password } });
      expectThrottled(ctx, right, LOGIN, 60, 'the right password after 20 concurrent failures');
    },
  },
  {
    name: 'throttling: a rotating X-Forwarded-For does not escape the throttle of the client address',
    async run(ctx) {
      const user = await register(ctx, uniqueEmail('forwarded'), strongPassword(), ctx.client());
      for (let attempt = 1; attempt <= PER_EMAIL; attempt++) {
        const res = await wrongLogin(ctx.http, user.email, { 'X-Forwarded-For': `203.0.113.${attempt}` });
        if (res.status !== 401) fail(`wrong password ${attempt} of ${PER_EMAIL} (X-Forwarded-For: 203.0.113.${attempt}): expected 401, got ${res.status}`);
      }
      const right = await ctx.http.post(LOGIN, {
        json: { email: user.email, password: user.password },
        headers: { 'X-Forwarded-For': '198.51.100.7', 'X-Real-IP': '198.51.100.7', Forwarded: 'for=198.51.100.7' },
      });
      expectThrottled(ctx, right, LOGIN, 60, `the right password after ${PER_EMAIL} failures, with a new X-Forwarded-For`);
    },
  },
  {
    name: 'throttling: 30 failed logins for 30 emails from one address, then 429 with Retry-After for any email there; another address is unaffected',
    async run(ctx) {
      const user = await register(ctx, uniqueEmail('spray'), strongPassword(), ctx.client());
      for (let attempt = 1; attempt <= PER_ADDRESS; attempt++) {
        const res = await wrongLogin(ctx.http, uniqueEmail(`spray${attempt}`));
        if (res.status !== 401) fail(`failed login ${attempt} of ${PER_ADDRESS} (a new email each): expected 401, got ${res.status}; body: ${show(res.text)}`);
      }
      expectThrottled(ctx, await wrongLogin(ctx.http, uniqueEmail('spray31')), LOGIN, 900, `failed login ${PER_ADDRESS + 1} from one address`);
      const right = await ctx.http.post(LOGIN, { json: { email: user.email, password: user.password } });
      expectThrottled(ctx, right, LOGIN, 900, `the right password of another account from the address that failed ${PER_ADDRESS} times`);
      const elsewhere = ctx.client();
      const unaffected = await elsewhere.post(LOGIN, { json: { email: user.email, password: user.password } });
      if (unaffected.status !== 200) fail(`the right password from another address: POST ${LOGIN} → expected 200, got ${unaffected.status}`);
      ctx.spec.expect(unaffected, LOGIN, 200);
      ctx.spec.expect(await wrongLogin(elsewhere, uniqueEmail('spray')), LOGIN, 401);
    },
  },
  {
    name: 'registration: the 11th registration from one address within an hour answers 429 with Retry-After; another address still registers',
    async run(ctx) {
      for (let attempt = 1; attempt <= REGISTRATIONS; attempt++) {
        const res = await ctx.http.post(REGISTER, { json: { email: uniqueEmail('signup'), password: strongPassword() } });
        if (res.status !== 201) fail(`registration ${attempt} of ${REGISTRATIONS} from one address: expected 201, got ${res.status}; body: ${show(res.text)}`);
      }
      const email = uniqueEmail('signup');
      const refused = await ctx.http.post(REGISTER, { json: { email, password: strongPassword() } });
      expectThrottled(ctx, refused, REGISTER, 3600, `registration ${REGISTRATIONS + 1} from one address`);
      const elsewhere = await ctx.client().post(REGISTER, { json: { email, password: strongPassword() } });
      if (elsewhere.status !== 201) fail(`the refused registration from another address: POST ${REGISTER} → expected 201, got ${elsewhere.status}`);
      ctx.spec.expect(elsewhere, REGISTER, 201);
    },
  },
];
