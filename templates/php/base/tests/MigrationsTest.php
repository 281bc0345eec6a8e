<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Database\Database;
use App\Database\Migrator;
use App\Tests\Support\TestDatabase;
use PHPUnit\Framework\TestCase;

final class MigrationsTest extends TestCase
{
    private const DIR = AppFactory::PROJECT_ROOT . '/migrations';

    protected function tearDown(): void
    {
        TestDatabase::cleanUp();
    }

    public function testEveryMigrationExistsForBothDatabases(): void
    {
        $names = static fn (string $dialect): array => array_map('basename', glob(self::DIR . "/$dialect/*.sql") ?: []);
        $this->assertNotSame([], $names('sqlite'));
        $this->assertSame($names('sqlite'), $names('postgres'));
    }

    public function testMigrateIsIdempotent(): void
    {
        $url = TestDatabase::fresh();
        $db = Database::fromUrl($url, AppFactory::PROJECT_ROOT);
        $migrator = new Migrator($db, self::DIR);
        $this->assertSame([], $migrator->migrate(), 'a migrated database gets nothing more');
        $applied = array_column($db->all('SELECT version FROM schema_migrations ORDER BY version'), 'version');
        $this->assertSame(array_map('strval', array_keys($migrator->available())), $applied);
        $this->assertSame(0, (int) $db->one('SELECT count(*) AS n FROM users')['n']);
    }

    public function testTheRunnerAppliesOnlyWhatIsNew(): void
    {
        $file = tempnam(sys_get_temp_dir(), 'migrate-');
        $db = Database::fromUrl('sqlite:///' . $file, AppFactory::PROJECT_ROOT);
        $dir = sys_get_temp_dir() . '/migrations-' . bin2hex(random_bytes(4));
        mkdir("$dir/sqlite", 0o777, true);
        try {
            file_put_contents("$dir/sqlite/0001_first.sql", 'CREATE TABLE first (id INTEGER PRIMARY KEY)');
            $this->assertSame(['0001'], (new Migrator($db, $dir))->migrate());
            file_put_contents("$dir/sqlite/0002_second.sql", 'CREATE TABLE second (id INTEGER PRIMARY KEY)');
            $this->assertSame(['0002'], (new Migrator($db, $dir))->migrate());
            $this->assertSame([], (new Migrator($db, $dir))->migrate());
            // A failing migration leaves nothing behind: neither its table nor its record.
            $broken = 'CREATE TABLE third (id INTEGER PRIMARY KEY); INSERT INTO nowhere VALUES (1)';
            file_put_contents("$dir/sqlite/0003_broken.sql", $broken);
            try {
                (new Migrator($db, $dir))->migrate();
                $this->fail('a broken migration was applied');
            } catch (\PDOException) {
            }
            $this->assertNull($db->one("SELECT name FROM sqlite_master WHERE name = 'third'"));
            $this->assertNull($db->one("SELECT version FROM schema_migrations WHERE version = '0003'"));
        } finally {
            array_map('unlink', glob("$dir/sqlite/*") ?: []);
            rmdir("$dir/sqlite");
            rmdir($dir);
            foreach (['', '-wal', '-shm'] as $suffix) {
                @unlink($file . $suffix);
            }
        }
    }
}
