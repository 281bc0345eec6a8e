import { randomInt } from 'node:crypto';
import net from 'node:net';

/**
 * Source addresses for the suite's connections. Every limit of the contract keys on the client's
 * address (5 failed logins per address and email, 30 per address, 10 registrations per address
 * and hour), so a suite that sent everything from one address would throttle itself. Linux
 * routes all of 127.0.0.0/8 to the loopback interface: when the server listens on a loopback
 * address, each check connects from an address of its own, and a check that needs several
 * (a second client, one address per generated request) takes more.
 *
 * A run takes consecutive addresses from a random start in the block, so a second run against
 * the same server (whose windows last up to an hour) does not reuse the first run's addresses.
 */
export class SourceAddresses {
  /** How many addresses one run may take; far more than it needs. */
  static readonly SPAN = 1 << 18;
  private taken = 0;

  private constructor(
    /** The first address's offset in 127.0.0.0/8, or undefined when there is only one address. */
    private readonly start: number | undefined,
  ) {}

  /** One address for everything (the server is not on loopback, or other addresses cannot be bound). */
  static single(): SourceAddresses {
    return new SourceAddresses(undefined);
  }

  /** Addresses from 127.0.0.0/8, starting at `start` (random by default; never in 127.0.0.0/16). */
  static loopback(start = randomInt(1 << 16, (1 << 24) - SourceAddresses.SPAN)): SourceAddresses {
    return new SourceAddresses(start);
  }

  /**
   * Loopback addresses when `baseUrl` names an IPv4 loopback host (or `localhost`) and this
   * machine lets a socket bind another one (Linux does; macOS has only 127.0.0.1); otherwise one.
   */
  static async for(baseUrl: string): Promise<SourceAddresses> {
    if (!isLoopbackHost(new URL(baseUrl).hostname)) return SourceAddresses.single();
    const addresses = SourceAddresses.loopback();
    return (await canBind(addresses.peek())) ? addresses : SourceAddresses.single();
  }

  /** Whether each check gets an address of its own. */
  get several(): boolean {
    return this.start !== undefined;
  }

  /** A fresh address, or `undefined` (the system's choice) when there is only one. */
  take(): string | undefined {
    if (this.start === undefined) return undefined;
    if (this.taken >= SourceAddresses.SPAN) throw new Error(`the suite used more than ${SourceAddresses.SPAN} source addresses`);
    return toAddress(this.start + this.taken++);
  }

  private peek(): string {
    return toAddress(this.start!);
  }
}

function toAddress(offset: number): string {
  return `127.${(offset >> 16) & 255}.${(offset >> 8) & 255}.${offset & 255}`;
}

/** `localhost` or a literal in 127.0.0.0/8. (IPv6 has a single loopback address, `::1`.) */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Whether a socket can be bound to `address` on this machine. */
function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, address, () => probe.close(() => resolve(true)));
  });
}
