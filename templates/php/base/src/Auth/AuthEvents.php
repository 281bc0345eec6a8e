<?php

declare(strict_types=1);

namespace App\Auth;

use App\Http\ClientIp;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Log\LoggerInterface;

/**
 * Authentication events: one log line each, with the event, the user id when known and the
 * client address in its context (`auth login.failed {"event":"login.failed",...}`). On by
 * default in projects that handle sensitive data (AUTH_EVENT_LOG). A line never holds a
 * password, a token or the submitted email: people type passwords into the email field.
 */
final class AuthEvents
{
    public function __construct(private readonly LoggerInterface $logger, private readonly bool $enabled)
    {
    }

    /**
     * @param string $event login.succeeded, login.failed, login.throttled, register.succeeded,
     *                      register.throttled or token.rejected
     */
    public function record(string $event, ServerRequestInterface $request, ?int $userId = null): void
    {
        if (!$this->enabled) {
            return;
        }
        $this->logger->info('auth {event}', [
            'event' => $event,
            'user_id' => $userId,
            'client' => ClientIp::of($request),
        ]);
    }
}
