<?php

declare(strict_types=1);

namespace App\Auth;

use App\Http\Json;
use App\Http\Problem;
use App\Settings;
use App\Validation\Field;
use App\Validation\FieldError;
use App\Validation\Validator;
use Psr\Http\Message\ResponseInterface as Response;
use Psr\Http\Message\ServerRequestInterface as Request;

/** Accounts and access tokens: /api/v1/auth. */
final class AuthController
{
    public const EMAIL_MAX_LENGTH = 254;
    // The contract's email syntax, on the trimmed value; control characters are refused too.
    private const EMAIL = '/^[^@\s\p{Cc}]+@[^@\s\p{Cc}]+\.[^@\s\p{Cc}]+$/Du';

    public function __construct(
        private readonly Users $users,
        private readonly Passwords $passwords,
        private readonly Tokens $tokens,
        private readonly LoginThrottle $throttle,
        private readonly Settings $settings,
    ) {
    }

    public function register(Request $request, Response $response): Response
    {
        $input = Validator::create(Json::object($request), [
            Field::string('email', self::EMAIL_MAX_LENGTH + 64),
            Field::string('password', 128, min: 12),
        ]);
        $email = self::normaliseEmail((string) $input['email']);
        if (mb_strlen($email, 'UTF-8') > self::EMAIL_MAX_LENGTH || preg_match(self::EMAIL, $email) !== 1) {
            throw Problem::validation([new FieldError('email', 'must be an email address like name@example.com')]);
        }
        $user = $this->users->create($email, $this->passwords->hash((string) $input['password']));
        return Json::write($response, $user, 201);
    }

    public function login(Request $request, Response $response): Response
    {
        // Only shapes are checked: a login must not reveal which rules an account follows.
        $input = Validator::create(Json::object($request), [
            Field::string('email', self::EMAIL_MAX_LENGTH + 64),
            Field::string('password', 128),
        ]);
        $email = self::normaliseEmail((string) $input['email']);
        $password = (string) $input['password'];
        $client = (string) ($request->getServerParams()['REMOTE_ADDR'] ?? 'unknown');

        $retryAfter = $this->throttle->attempt($client, $email);
        if ($retryAfter !== null) {
            throw new Problem(
                429,
                'Too many failed login attempts. Try again later.',
                headers: ['Retry-After' => (string) $retryAfter],
            );
        }
        $user = $this->users->findByEmail($email);
        // An unknown email is checked against a dummy hash: both failures cost the same time.
        if (!$this->passwords->verify($user['password_hash'] ?? null, $password) || $user === null) {
            throw Problem::unauthorized('Invalid email or password.');
        }
        $this->throttle->succeeded($client, $email);
        if ($this->passwords->needsRehash($user['password_hash'])) {
            $this->users->updatePasswordHash($user['id'], $this->passwords->hash($password));
        }
        return Json::write($response, [
            'access_token' => $this->tokens->issue($user['id']),
            'token_type' => 'Bearer',
            'expires_in' => $this->settings->jwtTtlSeconds,
        ]);
    }

    public function me(Request $request, Response $response): Response
    {
        return Json::write($response, Authenticate::user($request));
    }

    private static function normaliseEmail(string $email): string
    {
        return mb_strtolower(trim($email), 'UTF-8');
    }
}
