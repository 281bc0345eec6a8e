<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Auth\PasswordPolicy;
use App\Auth\Passwords;
use App\Database\Database;
use App\Tests\Support\ApiTestCase;
use App\Tests\Support\CountingPasswords;

final class AuthTest extends ApiTestCase
{
    private const REGISTER = '/api/v1/auth/register';
    private const LOGIN = '/api/v1/auth/login';

    private function db(): Database
    {
        return Database::fromUrl($this->settings->databaseUrl, AppFactory::PROJECT_ROOT);
    }

    public function testRegisterCreatesAnAccountWithANormalisedEmail(): void
    {
        $body = ['email' => 'Ada.Lovelace@Example.COM', 'password' => self::PASSWORD];
        $response = $this->post(self::REGISTER, $body);
        $this->assertSame(201, $response->status, $response->text);
        $body = $response->json();
        $this->assertSame(['id', 'email'], array_keys($body));
        $this->assertSame('ada.lovelace@example.com', $body['email']);
        $this->assertIsInt($body['id']);
    }

    public function testRegisterStoresAnArgon2idHashWithThePinnedParameters(): void
    {
        $this->call('POST', self::REGISTER, ['email' => 'hash@example.com', 'password' => self::PASSWORD]);
        $hash = (string) $this->db()->one('SELECT password_hash FROM users')['password_hash'];
        $this->assertStringStartsWith('$argon2id$v=19$m=19456,t=2,p=1$', $hash);
        $this->assertTrue(password_verify(self::PASSWORD, $hash));
        $this->assertGreaterThanOrEqual(19456, Passwords::OPTIONS['memory_cost']);
        $this->assertGreaterThanOrEqual(2, Passwords::OPTIONS['time_cost']);
    }

    public function testRegisterRefusesADuplicateEmailWhateverItsCase(): void
    {
        $this->call('POST', self::REGISTER, ['email' => 'twice@example.com', 'password' => self::PASSWORD]);
        foreach (['twice@example.com', 'TWICE@example.com'] as $email) {
            $this->assertProblem($this->post(self::REGISTER, ['email' => $email, 'password' => self::PASSWORD]), 409);
        }
    }

    public function testRegisterRejectsInvalidInput(): void
    {
        $cases = [
            [['email' => 'not-an-email', 'password' => self::PASSWORD], 'email'],
            [['email' => 'no-tld@example', 'password' => self::PASSWORD], 'email'],
            [['email' => 'two@@example.com', 'password' => self::PASSWORD], 'email'],
            [['email' => 'spa ce@example.com', 'password' => self::PASSWORD], 'email'],
            [['email' => str_repeat('a', 250) . '@example.com', 'password' => self::PASSWORD], 'email'],
            [['email' => "nul\0@example.com", 'password' => self::PASSWORD], 'email'],
            [['email' => 42, 'password' => self::PASSWORD], 'email'],
            [['password' => self::PASSWORD], 'email'],
            [['email' => 'ok@example.com', 'password' => str_repeat('p', 11)], 'password'],
            [['email' => 'ok@example.com', 'password' => str_repeat('p', 129)], 'password'],
            [['email' => 'ok@example.com', 'password' => 123456789012], 'password'],
            [['email' => 'ok@example.com', 'password' => self::PASSWORD, 'is_admin' => true], 'is_admin'],
        ];
        foreach ($cases as [$body, $field]) {
            $this->assertInvalid($this->call('POST', self::REGISTER, $body), $field, json_encode($body) ?: '');
        }
    }

    public function testRegisterTakesOnlyAsciiAddressesAsTheyAre(): void
    {
        $refused = [
            // Surrounding spaces are refused, not trimmed: what is stored is what was checked.
            ' spaced@example.com', 'spaced@example.com ', "tab@example.com\t", "line@example.com\n",
            // ASCII only: no internationalised addresses, and nothing that changes length in lower case.
            str_repeat('İ', 130) . '@x.com', 'josé@example.com', 'a@exämple.com', 'ａ@example.com',
            '0@0.com*', 'a..b@x.com', '.a@x.com', 'a.@x.com', 'a@-x.com', 'a@x-.com', 'a@x..com', 'a@x', 'a@.x.com',
            str_repeat('l', 65) . '@example.com', 'a@' . str_repeat('d', 64) . '.com', 'x@', '@x.com', 'a@',
        ];
        foreach ($refused as $email) {
            $response = $this->post(self::REGISTER, ['email' => $email, 'password' => self::PASSWORD]);
            $this->assertInvalid($response, 'email', json_encode($email, JSON_UNESCAPED_UNICODE) ?: '');
        }
        $accepted = ["o'brien+tag@mail.example.co.uk", 'UPPER@EXAMPLE.COM', '0@0.co', 'a!#$%&*/=?^_`{|}~-@x-y.example'];
        foreach ($accepted as $email) {
            $response = $this->post(self::REGISTER, ['email' => $email, 'password' => self::PASSWORD]);
            $this->assertSame(201, $response->status, "$email: {$response->text}");
            $this->assertSame(strtolower($email), $response->json()['email']);
        }
    }

    public function testTheLongestAddressIsStoredWhole(): void
    {
        // 64 + 1 + 189 = 254 characters, the most there may be; 255 is refused.
        $labels = static fn (int $last): string
            => str_repeat('d', 63) . '.' . str_repeat('e', 63) . '.' . str_repeat('f', $last) . '.com';
        $email = str_repeat('L', 64) . '@' . $labels(57);
        $this->assertSame(254, strlen($email));
        $response = $this->post(self::REGISTER, ['email' => $email, 'password' => self::PASSWORD]);
        $this->assertSame(201, $response->status, $response->text);
        $stored = (string) $this->db()->one('SELECT email FROM users')['email'];
        $this->assertSame(strtolower($email), $stored);
        $this->assertSame(200, $this->post(self::LOGIN, ['email' => $email, 'password' => self::PASSWORD])->status);
        $tooLong = ['email' => str_repeat('L', 64) . '@' . $labels(58), 'password' => self::PASSWORD];
        $this->assertInvalid($this->post(self::REGISTER, $tooLong), 'email');
    }

    public function testRegisterRefusesCommonPasswordsAndTheEmailItself(): void
    {
        $common = (new PasswordPolicy())->common();
        $this->assertGreaterThan(10, count($common), 'security/common-passwords.txt is read');
        // PHP turns numeric keys such as '111111111111' into integers.
        $listed = array_map('strval', array_keys($common));
        $words = array_values(array_filter($listed, static fn (string $p): bool => preg_match('/[a-z]/', $p) === 1));
        foreach ([$listed[0], $words[0], strtoupper($words[0]), ucfirst($words[0])] as $password) {
            $response = $this->post(self::REGISTER, ['email' => 'common@example.com', 'password' => $password]);
            $this->assertInvalid($response, 'password', $password);
        }
        $email = 'Same.As.Password@Example.com';
        foreach ([$email, strtolower($email), strtoupper($email)] as $password) {
            $response = $this->post(self::REGISTER, ['email' => $email, 'password' => $password]);
            $this->assertInvalid($response, 'password', $password);
        }
        $this->assertSame(0, (int) $this->db()->one('SELECT count(*) AS n FROM users')['n']);
    }

    public function testTheCommonPasswordListMustExist(): void
    {
        $this->expectException(\RuntimeException::class);
        (new PasswordPolicy('/nonexistent/common-passwords.txt'))->common();
    }

    public function testPasswordLengthCountsCodePoints(): void
    {
        // 12 emoji: 48 bytes, but 12 characters.
        $password = str_repeat('🔑', 12);
        $credentials = ['email' => 'emoji@example.com', 'password' => $password];
        $this->assertSame(201, $this->post(self::REGISTER, $credentials)->status);
        $this->assertSame(200, $this->post(self::LOGIN, $credentials)->status);
        $tooLong = ['email' => 'long@example.com', 'password' => str_repeat('🔑', 129)];
        $this->assertInvalid($this->post(self::REGISTER, $tooLong), 'password');
    }

    public function testLoginReturnsABearerToken(): void
    {
        $account = $this->account();
        $response = $this->post(self::LOGIN, ['email' => strtoupper($account['email']), 'password' => self::PASSWORD]);
        $this->assertSame(200, $response->status, $response->text);
        $body = $response->json();
        $this->assertSame(['access_token', 'token_type', 'expires_in'], array_keys($body));
        $this->assertSame('Bearer', $body['token_type']);
        $this->assertSame($this->settings->jwtTtlSeconds, $body['expires_in']);
        $me = $this->call('GET', '/api/v1/auth/me', headers: ['Authorization' => 'Bearer ' . $body['access_token']]);
        $this->assertSame($account['email'], $me->json()['email']);
    }

    public function testLoginFailuresLookTheSameForUnknownUsersAndWrongPasswords(): void
    {
        $account = $this->account();
        $wrong = $this->call('POST', self::LOGIN, ['email' => $account['email'], 'password' => 'not the password']);
        $unknown = $this->post(self::LOGIN, ['email' => 'nobody@example.com', 'password' => 'not the password']);
        $this->assertProblem($wrong, 401);
        $this->assertSame($wrong->text, $unknown->text);
        $this->assertSame('Bearer', $wrong->header('WWW-Authenticate'));
    }

    public function testLoginRejectsInvalidInput(): void
    {
        $cases = [
            [['email' => 'a@example.com'], 'password'],
            [['password' => 'x'], 'email'],
            [['email' => ['$ne' => null], 'password' => 'x'], 'email'],
            [['email' => '', 'password' => 'x'], 'email'],
            [['email' => str_repeat('é', 255), 'password' => 'x'], 'email'],
            [['email' => "a@example.com\0", 'password' => 'x'], 'email'],
            [['email' => 'a@example.com', 'password' => "x\0"], 'password'],
        ];
        foreach ($cases as [$body, $field]) {
            $this->assertInvalid($this->call('POST', self::LOGIN, $body), $field, json_encode($body) ?: '');
        }
    }

    public function testLoginTakesAnyEmailStringAndAnswers401WhenNoAccountMatches(): void
    {
        $account = $this->account();
        // No syntax rule on login: these are simply no one's address.
        foreach (['not an email', str_repeat('é', 254), ' ' . $account['email'], $account['email'] . ' '] as $email) {
            $this->assertProblem($this->post(self::LOGIN, ['email' => $email, 'password' => self::PASSWORD]), 401);
        }
    }

    public function testUnknownEmailsAreCheckedAgainstADummyHash(): void
    {
        $account = $this->account();
        $passwords = new CountingPasswords(tempnam(sys_get_temp_dir(), 'checks-'));
        $app = $this->appWithPasswords($passwords);
        $this->post(self::LOGIN, ['email' => 'nobody@example.com', 'password' => self::PASSWORD], app: $app);
        $this->post(self::LOGIN, ['email' => $account['email'], 'password' => 'wrong password'], app: $app);
        $this->assertSame(['dummy', 'hash'], $passwords->checks());
    }

    public function testTheDummyCheckCostsWhatARealOneCosts(): void
    {
        $passwords = new Passwords();
        // The dummy hash is made with the current parameters: raising them means a new one.
        $this->assertSame(Passwords::OPTIONS, password_get_info(Passwords::DUMMY_HASH)['options']);
        $this->assertFalse($passwords->needsRehash(Passwords::DUMMY_HASH));
        $hash = $passwords->hash(self::PASSWORD);
        // The fastest of five each, taken in turns, so that a busy machine slows both alike.
        $real = $dummy = INF;
        for ($i = 0; $i < 5; $i++) {
            $start = hrtime(true);
            $passwords->verify($hash, 'wrong password');
            $real = min($real, hrtime(true) - $start);
            $start = hrtime(true);
            $this->assertFalse($passwords->verify(null, 'wrong password'));
            $dummy = min($dummy, hrtime(true) - $start);
        }
        // Skipping the dummy check makes it a thousand times faster; a tenth is only noise.
        $this->assertGreaterThan($real / 10, $dummy, "dummy check {$dummy} ns, real one {$real} ns");
    }

    public function testLoginUpgradesAHashMadeWithWeakerParameters(): void
    {
        $account = $this->account();
        $weaker = ['memory_cost' => 8192, 'time_cost' => 1, 'threads' => 1];
        $weak = password_hash(self::PASSWORD, PASSWORD_ARGON2ID, $weaker);
        $this->db()->run('UPDATE users SET password_hash = ?', [$weak]);
        $this->login($account['email']);
        $hash = (string) $this->db()->one('SELECT password_hash FROM users')['password_hash'];
        $this->assertNotSame($weak, $hash);
        $this->assertFalse((new Passwords())->needsRehash($hash));
    }

    public function testMeReturnsTheTokenOwner(): void
    {
        $account = $this->account();
        $me = $this->call('GET', '/api/v1/auth/me', headers: $account['headers']);
        $this->assertSame(200, $me->status);
        $this->assertSame(['id', 'email'], array_keys($me->json()));
        $this->assertSame($account['email'], $me->json()['email']);
    }

    public function testMeRequiresAToken(): void
    {
        $response = $this->call('GET', '/api/v1/auth/me');
        $this->assertProblem($response, 401);
        $this->assertSame('Bearer', $response->header('WWW-Authenticate'));
    }
}
