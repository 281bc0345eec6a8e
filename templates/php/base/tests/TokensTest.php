<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Auth\Tokens;
use App\Database\Database;
use App\Tests\Support\ApiTestCase;
use Firebase\JWT\JWT;

final class TokensTest extends ApiTestCase
{
    private const ME = '/api/v1/auth/me';

    /** @return array{0: int, 1: array<string, mixed>} the user id and the claims of a real token */
    private function claims(): array
    {
        $account = $this->account('token');
        $token = substr($account['headers']['Authorization'], strlen('Bearer '));
        $claims = json_decode(JWT::urlsafeB64Decode(explode('.', $token)[1]), true, 512, JSON_THROW_ON_ERROR);
        return [(int) $claims['sub'], $claims];
    }

    /** @param array<string, mixed> $claims */
    private function sign(array $claims): string
    {
        return JWT::encode($claims, $this->settings->jwtSecret, 'HS256');
    }

    private function me(string $token): int
    {
        return $this->call('GET', self::ME, headers: ['Authorization' => "Bearer $token"])->status;
    }

    public function testAWellFormedTokenIsAccepted(): void
    {
        [, $claims] = $this->claims();
        $this->assertSame(200, $this->me($this->sign($claims)));
    }

    public function testIssuedTokensCarryTheExpectedClaims(): void
    {
        [$id, $claims] = $this->claims();
        $this->assertSame(['sub', 'iat', 'exp', 'iss', 'aud'], array_keys($claims));
        $this->assertSame((string) $id, $claims['sub']);
        $this->assertSame($this->settings->jwtIssuer, $claims['iss']);
        $this->assertSame($this->settings->jwtAudience, $claims['aud']);
        $this->assertSame($this->settings->jwtTtlSeconds, $claims['exp'] - $claims['iat']);
        $this->assertEqualsWithDelta(time(), $claims['iat'], 5);
    }

    public function testBadClaimsAreRefused(): void
    {
        [, $claims] = $this->claims();
        $now = time();
        $cases = [
            // Within the lifetime cap: only the expiry itself refuses these.
            'expired' => ['iat' => $now - 900, 'exp' => $now - 1],
            'expired a moment ago' => ['iat' => $now - 60, 'exp' => $now - 1],
            'issued in the future' => ['iat' => $now + 60, 'exp' => $now + 600],
            'wrong issuer' => ['iss' => 'someone-else'],
            'wrong audience' => ['aud' => 'someone-else'],
            'lifetime over 15 minutes' => ['iat' => $now, 'exp' => $now + 901],
            'valid for a year' => ['iat' => $now, 'exp' => $now + 365 * 86400],
            'sub not a string' => ['sub' => 1],
            'sub not an id' => ['sub' => '1 OR 1=1'],
            'sub of nobody' => ['sub' => '999999'],
            'iat a numeric string' => ['iat' => (string) $now],
            'exp a numeric string' => ['exp' => (string) ($now + 600)],
            'both numeric strings' => ['iat' => (string) $now, 'exp' => (string) ($now + 600)],
            'exp a fraction' => ['exp' => $now + 600.5],
            'exp not a number' => ['exp' => 'tomorrow'],
            'exp an array' => ['exp' => [$now + 600]],
            'iat null' => ['iat' => null],
        ];
        foreach ($cases as $what => $overrides) {
            $this->assertSame(401, $this->me($this->sign([...$claims, ...$overrides])), $what);
        }
        foreach (['sub', 'iat', 'exp', 'iss', 'aud'] as $claim) {
            $without = $claims;
            unset($without[$claim]);
            $this->assertSame(401, $this->me($this->sign($without)), "without $claim");
        }
    }

    public function testTheLifetimeCapIsTheConfiguredOne(): void
    {
        // With tokens issued for 5 minutes, one that claims 10 is refused though it is signed.
        $this->settings = $this->makeSettings(['jwtTtlSeconds' => 300]);
        $this->app = $this->makeApp($this->settings);
        [, $claims] = $this->claims();
        $this->assertSame(300, $claims['exp'] - $claims['iat']);
        $this->assertSame(200, $this->me($this->sign($claims)));
        $this->assertSame(401, $this->me($this->sign([...$claims, 'exp' => $claims['iat'] + 301])));
    }

    public function testHeadersOfTheWrongTypeAreRefusedNotACrash(): void
    {
        [, $claims] = $this->claims();
        $payload = JWT::urlsafeB64Encode(json_encode($claims, JSON_THROW_ON_ERROR));
        $headers = [['alg' => ['HS256'], 'typ' => 'JWT'], ['alg' => 'HS256', 'kid' => ['a']], ['alg' => null], []];
        foreach ($headers as $header) {
            $head = JWT::urlsafeB64Encode(json_encode($header, JSON_THROW_ON_ERROR));
            $signature = JWT::urlsafeB64Encode(hash_hmac('sha256', "$head.$payload", $this->settings->jwtSecret, true));
            $response = $this->call('GET', self::ME, headers: ['Authorization' => "Bearer $head.$payload.$signature"]);
            $this->assertProblem($response, 401);
        }
    }

    public function testTwoAuthorizationHeadersAreRefused(): void
    {
        $account = $this->account();
        $valid = $account['headers']['Authorization'];
        foreach ([[$valid, $valid], [$valid, 'Bearer x.y.z'], ['Bearer x.y.z', $valid]] as $values) {
            $this->assertProblem($this->call('GET', self::ME, headers: ['Authorization' => $values]), 401);
        }
        $this->assertSame(200, $this->call('GET', self::ME, headers: ['Authorization' => [$valid]])->status);
    }

    public function testATokenSignedWithAnotherKeyIsRefused(): void
    {
        [, $claims] = $this->claims();
        $this->assertSame(401, $this->me(JWT::encode($claims, bin2hex(random_bytes(32)), 'HS256')));
    }

    public function testAlgNoneIsRefused(): void
    {
        [, $claims] = $this->claims();
        $unsigned = JWT::urlsafeB64Encode('{"alg":"none","typ":"JWT"}') . '.'
            . JWT::urlsafeB64Encode(json_encode($claims, JSON_THROW_ON_ERROR)) . '.';
        $this->assertSame(401, $this->me($unsigned));
        $real = JWT::encode($claims, $this->settings->jwtSecret, 'HS256');
        $this->assertSame(401, $this->me($unsigned . explode('.', $real)[2]));
    }

    public function testAnotherAlgorithmIsRefusedEvenWithTheRightKey(): void
    {
        [, $claims] = $this->claims();
        // The very secret the API signs with (64 bytes: enough for HS512 too), another algorithm.
        $this->assertSame(64, strlen($this->settings->jwtSecret));
        foreach (['HS384', 'HS512'] as $algorithm) {
            $this->assertSame(401, $this->me(JWT::encode($claims, $this->settings->jwtSecret, $algorithm)), $algorithm);
        }
        $this->assertSame(Tokens::ALGORITHM, 'HS256');
        $this->assertSame(0, Tokens::LEEWAY_SECONDS);
    }

    public function testATokenForADeletedUserIsRefused(): void
    {
        $account = $this->account();
        Database::fromUrl($this->settings->databaseUrl, AppFactory::PROJECT_ROOT)->run('DELETE FROM users');
        $this->assertProblem($this->call('GET', self::ME, headers: $account['headers']), 401);
    }

    public function testMalformedAuthorizationHeadersAreRefused(): void
    {
        $account = $this->account();
        $token = substr($account['headers']['Authorization'], strlen('Bearer '));
        $headers = ['Bearer', 'Bearer ', 'Bearer not-a-jwt', 'Bearer a.b.c', "Bearer $token.extra", "Token $token",
            $token, 'Basic dXNlcjpwYXNz', 'Bearer ' . str_repeat('A', 8000)];
        foreach ($headers as $header) {
            $this->assertProblem($this->call('GET', self::ME, headers: ['Authorization' => $header]), 401);
        }
    }
}
