<?php

declare(strict_types=1);

namespace App\Auth;

use App\Http\Problem;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/**
 * Requires `Authorization: Bearer <token>` and puts the token's user on the request as the
 * `user` attribute (`['id' => int, 'email' => string]`). Attached to a route group, it covers
 * every route added to that group later.
 */
final class Authenticate implements MiddlewareInterface
{
    public const ATTRIBUTE = 'user';
    private const BEARER = '/^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/D';

    public function __construct(
        private readonly Tokens $tokens,
        private readonly Users $users,
        private readonly AuthEvents $events,
    ) {
    }

    public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface
    {
        $headers = $request->getHeader('Authorization');
        if ($headers === []) {
            throw Problem::unauthorized('Authentication required: send Authorization: Bearer <token>.');
        }
        // Exactly one header: with two, which one counts would depend on the server in front.
        $valid = count($headers) === 1 && preg_match(self::BEARER, $headers[0], $match) === 1;
        $userId = $valid ? $this->tokens->verify($match[1]) : null;
        // A valid token of a deleted account opens nothing.
        $user = $userId === null ? null : $this->users->find($userId);
        if ($user === null) {
            // A request without credentials is not an event (above); one with a bad token is.
            $this->events->record('token.rejected', $request, $userId);
            throw Problem::unauthorized('The access token is invalid or has expired.');
        }
        $identity = ['id' => $user['id'], 'email' => $user['email']];
        return $handler->handle($request->withAttribute(self::ATTRIBUTE, $identity));
    }

    /**
     * The authenticated user of a request that went through this middleware.
     *
     * @return array{id: int, email: string}
     */
    public static function user(ServerRequestInterface $request): array
    {
        $user = $request->getAttribute(self::ATTRIBUTE);
        if (!is_array($user)) {
            throw new \LogicException('the route is not behind the Authenticate middleware');
        }
        /** @var array{id: int, email: string} $user */
        return $user;
    }
}
