<?php

declare(strict_types=1);

namespace App\Http;

use Psr\Http\Message\ServerRequestInterface;

/** The address the limits (login throttle, registration limit) key on. */
final class ClientIp
{
    /**
     * The peer of the connection, as the web server saw it (nginx passes its $remote_addr).
     * X-Forwarded-For is ignored: any client can send one, with a new address every time.
     */
    public static function of(ServerRequestInterface $request): string
    {
        return (string) ($request->getServerParams()['REMOTE_ADDR'] ?? 'unknown');
    }
}
