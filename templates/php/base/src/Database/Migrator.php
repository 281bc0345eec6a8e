<?php

declare(strict_types=1);

namespace App\Database;

/**
 * Applies the plain SQL files in `migrations/<sqlite|postgres>/`, in file name order, each at
 * most once: `schema_migrations` records what was applied, so running it again does nothing.
 * Each file commits together with its record (both databases have transactional DDL), so a
 * failure leaves nothing half-done.
 */
final class Migrator
{
    private const CREATE_TABLE = [
        'sqlite' => 'CREATE TABLE IF NOT EXISTS schema_migrations '
            . '(version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
        'postgres' => 'CREATE TABLE IF NOT EXISTS schema_migrations '
            . '(version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)',
    ];

    public function __construct(private readonly Database $db, private readonly string $directory)
    {
    }

    /**
     * The migrations in the folder of this database, by version.
     *
     * @return array<string, array{name: string, file: string}>
     */
    public function available(): array
    {
        $found = [];
        foreach (glob($this->directory . '/' . $this->db->dialect . '/*.sql') ?: [] as $file) {
            if (preg_match('/^(\d{4})_(\w+)\.sql$/', basename($file), $match) !== 1) {
                throw new \RuntimeException(
                    'migration file names look like 0002_create_notes.sql, got ' . basename($file),
                );
            }
            $found[$match[1]] = ['name' => str_replace('_', ' ', $match[2]), 'file' => $file];
        }
        ksort($found, SORT_STRING);
        return $found;
    }

    /**
     * Applies what is pending and returns the versions it applied.
     *
     * @return list<string>
     */
    public function migrate(): array
    {
        $this->db->pdo()->exec(self::CREATE_TABLE[$this->db->dialect]);
        $applied = [];
        foreach ($this->available() as $version => $migration) {
            $done = $this->db->transaction(function (Database $db) use ($version, $migration): bool {
                // Checked inside the transaction: a concurrent run that got here first wins,
                // and this one then fails on the primary key instead of applying it twice.
                if ($db->one('SELECT version FROM schema_migrations WHERE version = ?', [$version]) !== null) {
                    return false;
                }
                $db->pdo()->exec((string) file_get_contents($migration['file']));
                $db->run(
                    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
                    [$version, $migration['name'], gmdate('Y-m-d\TH:i:s\Z')],
                );
                return true;
            });
            if ($done) {
                $applied[] = (string) $version;
            }
        }
        return $applied;
    }
}
