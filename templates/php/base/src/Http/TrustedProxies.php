<?php

declare(strict_types=1);

namespace App\Http;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/**
 * Finds the client behind the proxies in TRUSTED_PROXIES. The socket peer (REMOTE_ADDR, from
 * nginx) is the client, unless it is one of those proxies: then X-Forwarded-For is read from the
 * right, past every trusted hop, and the first address that is not one is the client (what is
 * further left was written by the client and proves nothing). X-Forwarded-Proto is believed
 * from a trusted peer only. Any client can send these headers: from anyone else they are ignored.
 */
final class TrustedProxies implements MiddlewareInterface
{
    /** The request attribute holding the client address (read it with ClientIp::of()). */
    public const CLIENT_IP = 'client_ip';

    /** @param list<IpRange> $proxies */
    public function __construct(private readonly array $proxies)
    {
    }

    /** @param list<string> $proxies addresses and CIDR ranges, as in TRUSTED_PROXIES */
    public static function fromList(array $proxies): self
    {
        return new self(array_map(IpRange::parse(...), $proxies));
    }

    public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface
    {
        $peer = (string) ($request->getServerParams()['REMOTE_ADDR'] ?? '');
        $client = $peer;
        if ($this->isTrusted($peer)) {
            $client = $this->forwardedClient($request) ?? $peer;
            // The last value: the one the nearest proxy, ours, wrote.
            $scheme = strtolower(trim((string) strrchr(',' . $request->getHeaderLine('X-Forwarded-Proto'), ','), ', '));
            if ($scheme === 'http' || $scheme === 'https') {
                $request = $request->withUri($request->getUri()->withScheme($scheme));
            }
        }
        return $handler->handle($request->withAttribute(self::CLIENT_IP, $client));
    }

    /** The right-most X-Forwarded-For address that is not a trusted proxy, or null without one. */
    private function forwardedClient(ServerRequestInterface $request): ?string
    {
        $hops = array_map('trim', explode(',', $request->getHeaderLine('X-Forwarded-For')));
        $client = null;
        foreach (array_reverse($hops) as $hop) {
            if (filter_var($hop, FILTER_VALIDATE_IP) === false) {
                // Not written by a proxy we trust: whatever came from further left is unproven.
                break;
            }
            $client = $hop;
            if (!$this->isTrusted($hop)) {
                break;
            }
        }
        return $client;
    }

    private function isTrusted(string $address): bool
    {
        foreach ($this->proxies as $range) {
            if ($range->contains($address)) {
                return true;
            }
        }
        return false;
    }
}
