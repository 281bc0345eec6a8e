<?php

declare(strict_types=1);

namespace App\Tests\Support;

use App\AppFactory;
use App\Database\Database;
use App\Database\Migrator;

/**
 * A freshly migrated, empty database for one test: the PostgreSQL database in
 * TEST_DATABASE_URL (wiped first: only point it at a database the tests may destroy), or else a
 * throwaway SQLite file.
 */
final class TestDatabase
{
    /** @var list<string> */
    private static array $files = [];

    public static function fresh(): string
    {
        $url = trim((string) getenv('TEST_DATABASE_URL'));
        if ($url !== '') {
            $db = Database::fromUrl($url, AppFactory::PROJECT_ROOT);
            $db->pdo()->exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
        } else {
            $file = tempnam(sys_get_temp_dir(), 'api-test-');
            self::$files[] = $file;
            $url = 'sqlite:///' . $file;
            $db = Database::fromUrl($url, AppFactory::PROJECT_ROOT);
        }
        (new Migrator($db, AppFactory::PROJECT_ROOT . '/migrations'))->migrate();
        return $url;
    }

    public static function isPostgres(): bool
    {
        return trim((string) getenv('TEST_DATABASE_URL')) !== '';
    }

    /** Removes the SQLite files made so far (with their -wal and -shm companions). */
    public static function cleanUp(): void
    {
        foreach (self::$files as $file) {
            foreach (['', '-wal', '-shm'] as $suffix) {
                if (is_file($file . $suffix)) {
                    unlink($file . $suffix);
                }
            }
        }
        self::$files = [];
    }
}
