<?php

declare(strict_types=1);

namespace App\Tests;

use App\Auth\LoginThrottle;
use App\Http\IpRange;
use App\Http\TrustedProxies;
use App\Tests\Support\ApiTestCase;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\RequestHandlerInterface;
use Slim\Psr7\Factory\ServerRequestFactory;
use Slim\Psr7\Response;

/** TRUSTED_PROXIES: whose X-Forwarded-For and X-Forwarded-Proto are believed. */
final class TrustedProxiesTest extends ApiTestCase
{
    private const LOGIN = '/api/v1/auth/login';

    /**
     * Six failed logins for one email, each with its own X-Forwarded-For, from `$peer`.
     *
     * @param callable(int): string $forwardedFor
     * @return list<int> the statuses
     */
    private function failures(string $peer, callable $forwardedFor): array
    {
        $app = $this->makeApp($this->makeSettings(['trustedProxies' => ['10.0.0.0/8', '2001:db8::/32']]));
        $statuses = [];
        for ($i = 1; $i <= LoginThrottle::ATTEMPTS + 1; $i++) {
            $body = ['email' => 'proxied@example.com', 'password' => 'wrong password'];
            $headers = ['X-Forwarded-For' => $forwardedFor($i)];
            $statuses[] = $this->post(self::LOGIN, $body, $headers, ip: $peer, app: $app)->status;
        }
        return $statuses;
    }

    public function testAForwardedForFromAnUntrustedPeerIsIgnored(): void
    {
        $statuses = $this->failures('192.0.2.10', static fn (int $i): string => "198.51.100.$i");
        $this->assertSame([401, 401, 401, 401, 401, 429], $statuses);
    }

    public function testAForwardedForFromATrustedProxyNamesTheClient(): void
    {
        // Each request comes from another client behind the proxy: none reaches its limit.
        $statuses = $this->failures('10.0.0.1', static fn (int $i): string => "198.51.100.$i");
        $this->assertSame(array_fill(0, 6, 401), $statuses);
        // The same client behind the proxy is throttled as if it came directly.
        $statuses = $this->failures('10.0.0.1', static fn (int $i): string => '198.51.100.200');
        $this->assertSame([401, 401, 401, 401, 401, 429], $statuses);
    }

    public function testTheRightMostUntrustedAddressIsTheClient(): void
    {
        // The client wrote the left part itself, a new address each time; our proxies (10.x) wrote
        // the rest. Trusted hops are skipped from the right, and the client cannot escape.
        $statuses = $this->failures('10.0.0.1', static fn (int $i): string => "203.0.113.$i, 198.51.100.7, 10.1.1.1");
        $this->assertSame([401, 401, 401, 401, 401, 429], $statuses);
        // IPv6 proxies, and something that is no address where the client should be: the peer.
        $statuses = $this->failures('2001:db8::1', static fn (int $i): string => "203.0.113.$i, junk$i");
        $this->assertSame([401, 401, 401, 401, 401, 429], $statuses);
    }

    public function testClientAddressAndSchemeSeenByTheApp(): void
    {
        $proxies = TrustedProxies::fromList(['10.0.0.0/8']);
        $seen = function (string $peer, string $forwardedFor, string $proto) use ($proxies): array {
            $request = (new ServerRequestFactory())
                ->createServerRequest('GET', 'http://localhost/health', ['REMOTE_ADDR' => $peer])
                ->withHeader('X-Forwarded-For', $forwardedFor)
                ->withHeader('X-Forwarded-Proto', $proto);
            $handler = new class implements RequestHandlerInterface {
                public ?ServerRequestInterface $request = null;

                public function handle(ServerRequestInterface $request): ResponseInterface
                {
                    $this->request = $request;
                    return new Response();
                }
            };
            $proxies->process($request, $handler);
            $handled = $handler->request ?? throw new \LogicException('not handled');
            return [$handled->getAttribute(TrustedProxies::CLIENT_IP), $handled->getUri()->getScheme()];
        };
        $this->assertSame(['198.51.100.1', 'https'], $seen('10.9.9.9', '198.51.100.1', 'https'));
        $this->assertSame(['192.0.2.1', 'http'], $seen('192.0.2.1', '198.51.100.1', 'https'));
        // Only proxies in the chain: the farthest one is as near to the client as it gets.
        $this->assertSame(['10.1.1.1', 'http'], $seen('10.9.9.9', '10.1.1.1, 10.2.2.2', 'gopher'));
        $this->assertSame(['10.9.9.9', 'http'], $seen('10.9.9.9', '', ''));
    }

    public function testRanges(): void
    {
        $this->assertTrue(IpRange::parse('10.0.0.0/8')->contains('10.255.0.1'));
        $this->assertFalse(IpRange::parse('10.0.0.0/8')->contains('11.0.0.1'));
        $this->assertTrue(IpRange::parse('192.0.2.7')->contains('192.0.2.7'));
        $this->assertFalse(IpRange::parse('192.0.2.7')->contains('192.0.2.8'));
        $this->assertTrue(IpRange::parse('172.16.0.0/12')->contains('172.31.255.255'));
        $this->assertFalse(IpRange::parse('172.16.0.0/12')->contains('172.32.0.0'));
        $this->assertTrue(IpRange::parse('0.0.0.0/0')->contains('203.0.113.1'));
        $this->assertFalse(IpRange::parse('0.0.0.0/0')->contains('2001:db8::1'));
        $this->assertTrue(IpRange::parse('2001:db8::/32')->contains('2001:db8:ffff::1'));
        $this->assertFalse(IpRange::parse('2001:db8::/32')->contains('2001:db9::1'));
        $this->assertTrue(IpRange::parse('::1')->contains('::1'));
        // A dual-stack socket reports IPv4 peers as IPv4-mapped IPv6 addresses.
        $this->assertTrue(IpRange::parse('127.0.0.1')->contains('::ffff:127.0.0.1'));
        $this->assertFalse(IpRange::parse('10.0.0.0/8')->contains('not an address'));
        $invalid = ['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0/8', 'localhost', '', '10.0.0.0/-1'];
        foreach ($invalid as $range) {
            try {
                IpRange::parse($range);
                $this->fail("'$range' was accepted");
            } catch (\InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
    }
}
