<?php

declare(strict_types=1);

namespace App\Tests;

use App\Auth\Passwords;
use App\Database\Database;
use App\AppFactory;
use App\Tests\Support\ApiTestCase;

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
        $body = ['email' => '  Ada.Lovelace@Example.COM ', 'password' => self::PASSWORD];
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
        ];
        foreach ($cases as [$body, $field]) {
            $this->assertInvalid($this->call('POST', self::LOGIN, $body), $field);
        }
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
