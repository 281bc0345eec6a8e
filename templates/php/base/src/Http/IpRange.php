<?php

declare(strict_types=1);

namespace App\Http;

/** An IPv4 or IPv6 CIDR range (a plain address is a range of one: /32 or /128). */
final class IpRange
{
    private function __construct(private readonly string $network, private readonly int $prefixLength)
    {
    }

    /** @throws \InvalidArgumentException when `$cidr` is not an address or an address/prefix-length */
    public static function parse(string $cidr): self
    {
        [$address, $length] = array_pad(explode('/', trim($cidr), 2), 2, null);
        $bytes = self::packed((string) $address);
        if ($bytes === null) {
            throw new \InvalidArgumentException("'$cidr' is not an IP address or CIDR range");
        }
        $bits = strlen($bytes) * 8;
        if ($length === null) {
            return new self($bytes, $bits);
        }
        if (preg_match('/^[0-9]{1,3}$/', $length) !== 1 || (int) $length > $bits) {
            throw new \InvalidArgumentException("'$cidr' has a prefix length outside 0..$bits");
        }
        return new self(self::masked($bytes, (int) $length), (int) $length);
    }

    public function contains(string $address): bool
    {
        $bytes = self::packed($address);
        return $bytes !== null
            && strlen($bytes) === strlen($this->network)
            && self::masked($bytes, $this->prefixLength) === $this->network;
    }

    /**
     * The address in network byte order (4 or 16 bytes), or null when it is none. An
     * IPv4-mapped IPv6 address (::ffff:192.0.2.1, as a dual-stack socket reports it) is IPv4.
     */
    private static function packed(string $address): ?string
    {
        if (filter_var($address, FILTER_VALIDATE_IP) === false) {
            return null;
        }
        $bytes = (string) inet_pton($address);
        if (strlen($bytes) === 16 && str_starts_with($bytes, str_repeat("\0", 10) . "\xff\xff")) {
            return substr($bytes, 12);
        }
        return $bytes;
    }

    /** `$bytes` with every bit after the first `$length` cleared. */
    private static function masked(string $bytes, int $length): string
    {
        $mask = str_repeat("\xff", intdiv($length, 8));
        if ($length % 8 !== 0) {
            $mask .= chr((0xff << (8 - $length % 8)) & 0xff);
        }
        return $bytes & str_pad($mask, strlen($bytes), "\0");
    }
}
