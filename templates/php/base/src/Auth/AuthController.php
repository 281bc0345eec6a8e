<?php

declare(strict_types=1);

namespace App\Auth;

use App\Http\ClientIp;
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
    public const PASSWORD_MIN_LENGTH = 12;
    public const PASSWORD_MAX_LENGTH = 128;
    /**
     * The contract's address syntax: ASCII only, a local part of at most 64 dot-separated atoms,
     * a domain of at least two labels. Matched as given: surrounding spaces are refused, not
     * trimmed, so what is stored is exactly what was checked (lower-cased, which keeps ASCII's
     * length).
     */
    private const EMAIL = '/^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&\'*+\/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&\'*+\/=?^_`{|}~-]+)*'
        . '@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/D';

    public function __construct(
        private readonly Users $users,
        private readonly Passwords $passwords,
        private readonly PasswordPolicy $policy,
        private readonly Tokens $tokens,
        private readonly LoginThrottle $throttle,
        private readonly RegistrationLimit $registrations,
        private readonly Settings $settings,
        private readonly AuthEvents $events,
    ) {
    }

    public function register(Request $request, Response $response): Response
    {
        $input = Validator::create(Json::object($request), [
            Field::string('email', self::EMAIL_MAX_LENGTH, min: 3),
            Field::string('password', self::PASSWORD_MAX_LENGTH, min: self::PASSWORD_MIN_LENGTH),
        ]);
        $email = (string) $input['email'];
        $password = (string) $input['password'];
        $errors = [];
        if (preg_match(self::EMAIL, $email) !== 1) {
            $errors[] = new FieldError('email', 'must be an email address like name@example.com');
        }
        $email = strtolower($email);
        $weakness = $this->policy->problem($password, $email);
        if ($weakness !== null) {
            $errors[] = new FieldError('password', $weakness);
        }
        if ($errors !== []) {
            throw Problem::validation($errors);
        }
        // Counted before the password is hashed: argon2id is the expensive part.
        $retryAfter = $this->registrations->attempt(ClientIp::of($request));
        if ($retryAfter !== null) {
            $this->events->record('register.throttled', $request);
            throw self::tooMany('Too many registrations from this address. Try again later.', $retryAfter);
        }
        $user = $this->users->create($email, $this->passwords->hash($password));
        $this->events->record('register.succeeded', $request, $user['id']);
        return Json::write($response, $user, 201);
    }

    public function login(Request $request, Response $response): Response
    {
        // Only shapes are checked: a login must not reveal which rules an account follows.
        $input = Validator::create(Json::object($request), [
            Field::string('email', self::EMAIL_MAX_LENGTH),
            Field::string('password', self::PASSWORD_MAX_LENGTH),
        ]);
        // Stored addresses are ASCII and lower-case; strtolower() leaves any other byte alone.
        $email = strtolower((string) $input['email']);
        $password = (string) $input['password'];
        $client = ClientIp::of($request);

        // The attempt is counted before the password is checked; a spent budget checks nothing.
        $retryAfter = $this->throttle->attempt($client, $email);
        if ($retryAfter !== null) {
            $this->events->record('login.throttled', $request);
            throw self::tooMany('Too many failed login attempts. Try again later.', $retryAfter);
        }
        $user = $this->users->findByEmail($email);
        // An unknown email is checked against a dummy hash: both failures cost the same time.
        if (!$this->passwords->verify($user['password_hash'] ?? null, $password) || $user === null) {
            $this->events->record('login.failed', $request);
            throw Problem::unauthorized('Invalid email or password.');
        }
        $this->throttle->succeeded($client, $email);
        $this->events->record('login.succeeded', $request, $user['id']);
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

    private static function tooMany(string $detail, int $retryAfter): Problem
    {
        return new Problem(429, $detail, headers: ['Retry-After' => (string) $retryAfter]);
    }
}
