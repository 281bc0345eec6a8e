<?php

declare(strict_types=1);

namespace App\Auth;

use App\Settings;
use Firebase\JWT\JWT;
use Firebase\JWT\Key;

/** Access tokens: HS256 JWTs with `sub`, `iat`, `exp`, `iss` and `aud`. */
final class Tokens
{
    public const ALGORITHM = 'HS256';
    /** Clock skew tolerated on `exp`/`iat`/`nbf`, in seconds. Explicit: the library default may change. */
    public const LEEWAY_SECONDS = 0;
    /** Ids are at most 18 digits: they fit a signed 64-bit column. */
    private const USER_ID = '/^[1-9][0-9]{0,17}$/D';

    public function __construct(private readonly Settings $settings)
    {
    }

    public function issue(int $userId, ?int $now = null): string
    {
        $now ??= time();
        return JWT::encode([
            'sub' => (string) $userId,
            'iat' => $now,
            'exp' => $now + $this->settings->jwtTtlSeconds,
            'iss' => $this->settings->jwtIssuer,
            'aud' => $this->settings->jwtAudience,
        ], $this->settings->jwtSecret, self::ALGORITHM);
    }

    /** The user id a token was issued to, or null when it is expired, forged or not for this API. */
    public function verify(string $token): ?int
    {
        JWT::$leeway = self::LEEWAY_SECONDS;
        try {
            // The key pins the algorithm: the token's own `alg` header is never trusted, so
            // `none`, HS512 or an RS/HS confusion are refused.
            $claims = (array) JWT::decode($token, new Key($this->settings->jwtSecret, self::ALGORITHM));
        } catch (\Exception | \TypeError) {
            // Any failure to decode (bad signature, expired, malformed) means the same: no access.
            // php-jwt raises a TypeError, not an exception, for a header value of the wrong JSON
            // type (`"alg": []`), before the signature is checked: anyone can send one.
            return null;
        }
        // php-jwt checks the signature and the times; issuer, audience and lifetime are ours.
        // `iat` and `exp` must be JSON integers (php-jwt takes "1700000000" too), and a token may
        // not live longer than this API issues them for, whoever signed it.
        $iat = $claims['iat'] ?? null;
        $exp = $claims['exp'] ?? null;
        $sub = $claims['sub'] ?? null;
        $audience = $claims['aud'] ?? null;
        $audiences = is_array($audience) ? $audience : [$audience];
        if (
            ($claims['iss'] ?? null) !== $this->settings->jwtIssuer
            || !in_array($this->settings->jwtAudience, $audiences, true)
            || !is_int($iat) || !is_int($exp)
            || $exp - $iat > $this->settings->jwtTtlSeconds
            || !is_string($sub) || preg_match(self::USER_ID, $sub) !== 1
        ) {
            return null;
        }
        return (int) $sub;
    }
}
