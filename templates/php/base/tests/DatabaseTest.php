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
