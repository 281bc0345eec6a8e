<?php

declare(strict_types=1);

namespace App\Http;

use Psr\Http\Message\ServerRequestInterface;

/** The address the limits (login throttle, registration limit) key on. */
final class ClientIp
{
    /**
     * The client as TrustedProxies found it: the connection's peer (nginx passes its
     * $remote_addr), or, behind a trusted proxy, the address that proxy forwarded. A header
     * any client can send is never read here.
     */
    public static function of(ServerRequestInterface $request): string
    {
        $client = $request->getAttribute(TrustedProxies::CLIENT_IP);
        return is_string($client) && $client !== ''
            ? $client
            : (string) ($request->getServerParams()['REMOTE_ADDR'] ?? 'unknown');
    }
}
