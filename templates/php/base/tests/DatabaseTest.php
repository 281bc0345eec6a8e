<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Database\Database;
use App\Tests\Support\TestDatabase;
use PHPUnit\Framework\TestCase;

/** How every connection is set up. */
final class DatabaseTest extends TestCase
{
    protected function tearDown(): void
    {
        TestDatabase::cleanUp();
    }

    /** php-fpm workers keep their connection from request to request (AppFactory); nothing else does. */
    public function testConnectionsPersistOnlyWhenAsked(): void
    {
        $url = TestDatabase::fresh();
        $persistent = Database::fromUrl($url, AppFactory::PROJECT_ROOT, persistent: true);
        $this->assertTrue($persistent->pdo()->getAttribute(\PDO::ATTR_PERSISTENT));
        if (TestDatabase::isPostgres()) {
            $this->assertSame('UTC', $persistent->one('SHOW TIME ZONE')['TimeZone'] ?? null);
        } else {
            $this->assertSame(1, $persistent->one('PRAGMA foreign_keys')['foreign_keys'] ?? null);
        }
        $plain = Database::fromUrl($url, AppFactory::PROJECT_ROOT);
        $this->assertFalse($plain->pdo()->getAttribute(\PDO::ATTR_PERSISTENT));
    }

    /** After a database restart or failover, no worker fails a request on its kept connection. */
    public function testAKeptConnectionTheServerEndedIsReplacedWithoutAnError(): void
    {
        if (!TestDatabase::isPostgres()) {
            $this->markTestSkipped('PostgreSQL connections: this run uses SQLite');
        }
        $url = TestDatabase::fresh();
        $kept = Database::fromUrl($url, AppFactory::PROJECT_ROOT, persistent: true);
        $pid = $kept->one('SELECT pg_backend_pid() AS pid')['pid'] ?? null;
        // What a restart does to every connection: the server ends it.
        $other = Database::fromUrl($url, AppFactory::PROJECT_ROOT);
        $this->assertTrue($other->one('SELECT pg_terminate_backend(?) AS ended', [$pid])['ended'] ?? false);
        $gone = static fn (): bool => $other->one('SELECT 1 FROM pg_stat_activity WHERE pid = ?', [$pid]) === null;
        for ($wait = 0; !$gone() && $wait < 100; $wait++) {
            usleep(20_000);
        }
        $this->assertTrue($gone());

        // The next request's Database finds the kept connection, now dead.
        $next = Database::fromUrl($url, AppFactory::PROJECT_ROOT, persistent: true);
        $this->assertSame(1, $next->one('SELECT 1 AS one')['one'] ?? null);
        $this->assertSame('UTC', $next->one('SHOW TIME ZONE')['TimeZone'] ?? null);
        $this->assertNotSame($pid, $next->one('SELECT pg_backend_pid() AS pid')['pid'] ?? null);
    }

    public function testSqliteConnectionsUseWalWithoutAnFsyncPerCommitAndWaitForLocks(): void
    {
        if (TestDatabase::isPostgres()) {
            $this->markTestSkipped('SQLite settings: this run uses PostgreSQL');
        }
        $db = Database::fromUrl(TestDatabase::fresh(), AppFactory::PROJECT_ROOT);
        // A pragma answers one row of one column (busy_timeout's is named "timeout").
        $pragma = static fn (string $name): mixed => array_values($db->one("PRAGMA $name") ?? [null])[0];
        // Readers do not block the writer, nor the writer readers (several php-fpm workers).
        $this->assertSame('wal', $pragma('journal_mode'));
        // NORMAL (1): commits append to the log, fsync at checkpoints (FULL is 2: one per commit).
        $this->assertSame(1, $pragma('synchronous'));
        // A writer waits up to 5 s for another's lock rather than failing with "database is locked".
        $this->assertSame(5000, $pragma('busy_timeout'));
        $this->assertSame(1, $pragma('foreign_keys'));
    }
}
