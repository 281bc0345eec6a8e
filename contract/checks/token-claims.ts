import { fail, show } from '../lib/assert.js';
import { requireOption, type Check } from '../lib/context.js';
import { nowSeconds, signJwt } from '../lib/jwt.js';
import { forgery, session } from './tokens.js';

const ME = '/api/v1/auth/me';
const YEAR = 365 * 24 * 3600;

export const tokenClaimChecks: Check[] = [
  forgery('tokens: an exp given as a numeric string answers 401', 'a token whose exp is a numeric string', (claims, key) =>
    signJwt({ ...claims, exp: String(claims.exp) }, key),
  ),
  forgery('tokens: an iat given as a numeric string answers 401', 'a token whose iat is a numeric string', (claims, key) =>
    signJwt({ ...claims, iat: String(claims.iat) }, key),
  ),
  forgery('tokens: a token valid for a year (exp − iat over the token lifetime) answers 401', 'a token with exp − iat of a year', (claims, key) => {
    const now = nowSeconds();
    return signJwt({ ...claims, iat: now - 60, exp: now + YEAR }, key);
  }),
  {
    name: 'tokens: two Authorization headers answer 401, in either order and even when both are valid',
    async run(ctx) {
      const key = requireOption(ctx, 'jwtSecret');
      const { account, claims } = await session(ctx);
      const good = `Bearer ${account.token}`;
      const bad = `Bearer ${signJwt({ ...claims, sub: '0' }, key)}`;
      const cases: [string, string[]][] = [
        ['a valid token, then an invalid one', [good, bad]],
        ['an invalid token, then a valid one', [bad, good]],
        ['the same valid token twice', [good, good]],
      ];
      for (const [what, values] of cases) {
        const res = await ctx.http.get(ME, { headers: { Authorization: values } });
        if (res.status !== 401) fail(`GET ${ME} with two Authorization headers (${what}): expected 401, got ${res.status}; body: ${show(res.text)}`);
        ctx.spec.expect(res, ME, 401);
      }
      const single = await ctx.http.get(ME, { headers: { Authorization: good } });
      if (single.status !== 200) fail(`GET ${ME} with the valid token alone: expected 200, got ${single.status}`);
    },
  },
];
