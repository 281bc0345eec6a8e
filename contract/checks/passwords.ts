import { expectFieldError, fail, show } from '../lib/assert.js';
import { uniqueEmail, type Check } from '../lib/context.js';

const REGISTER = '/api/v1/auth/register';

export const passwordChecks: Check[] = [
  {
    name: 'passwords: register refuses a common password in any case, and a password equal to the email (422, field password)',
    async run(ctx) {
      const email = uniqueEmail('pw');
      const cases: [string, string, string][] = [
        [uniqueEmail(), 'password1234', 'a common password'],
        [uniqueEmail(), 'Qwertyuiop123', 'a common password in another case'],
        [uniqueEmail(), 'PASSWORD1234', 'a common password in upper case'],
        [email, email, 'the email itself'],
        [email, email.toUpperCase(), 'the email in upper case'],
      ];
      for (const [address, password, why] of cases) {
        const res = await ctx.http.post(REGISTER, { json: { email: address, password } });
        if (res.status !== 422) fail(`POST ${REGISTER} with ${why} as the password (${show(password, 60)}): expected 422, got ${res.status}; body: ${show(res.text)}`);
        ctx.spec.expect(res, REGISTER, 422);
        expectFieldError(res, 'password');
      }
    },
  },
];
