<?php

declare(strict_types=1);

namespace App\Tests;

use App\AppFactory;
use App\Database\Database;
use App\Database\Migrator;
use App\Tests\Support\ApiTestCase;

/**
 * Backup and restore round trip with the scripts in ops/backup, on SQLite. These tests always use
 * a SQLite file of their own, whatever TEST_DATABASE_URL says: restore.sh replaces the database
 * it is pointed at.
 */
final class BackupTest extends ApiTestCase
{
    private const SCRIPTS = AppFactory::PROJECT_ROOT . '/ops/backup';
    private const UNICODE_TITLE = 'Grüße aus Köln: 東京タワー 🗼';
    private const UNICODE_BODY = "naïve café, שלום, 🎉\nsecond line";
    // Sits inside a note's text in the backup file. A flipped byte there keeps the file a valid
    // SQLite database with the same row counts: only the checksum can notice.
    private const CANARY = 'checksum canary';

    private string $dir;
    private string $database;
    /** @var array<string, string> */
    private array $env;
    private string $backup;
    /** @var array<string, int> */
    private array $noteIds;

    protected function setUp(): void
    {
        $missing = array_filter(['bash', 'sqlite3', 'sha256sum'], static fn (string $c): bool => !self::hasCommand($c));
        if ($missing !== []) {
            $message = implode(', ', $missing) . ' not found: install the sqlite3 command-line tool to run the backup '
                . 'tests (Debian/Ubuntu: apt-get install sqlite3; see ops/backup/README.md)';
            if (in_array(strtolower((string) getenv('CI')), ['1', 'true', 'yes'], true)) {
                $this->fail("$message; CI is set, so this is a failure, not a skip");
            }
            $this->markTestSkipped($message);
        }
        $this->dir = sys_get_temp_dir() . '/backup-test-' . bin2hex(random_bytes(6));
        mkdir($this->dir);
        $this->database = $this->dir . '/live.db';
        $url = 'sqlite:///' . $this->database;
        $this->migrator($url)->migrate();
        $this->settings = $this->makeSettings(['databaseUrl' => $url]);
        $this->app = $this->makeApp($this->settings);

        $zoe = $this->register('zoe@example.com');
        $bob = $this->register('bob@example.com');
        $this->noteIds = [
            'unicode' => $this->addNote($zoe, ['title' => self::UNICODE_TITLE, 'body' => self::UNICODE_BODY]),
            'no body' => $this->addNote($zoe, ['title' => 'No body']),
            'deleted' => $this->addNote($zoe, ['title' => 'Deleted before the backup', 'body' => 'gone']),
            'canary' => $this->addNote($zoe, ['title' => 'Canary', 'body' => self::CANARY]),
            'bob' => $this->addNote($bob, ['title' => "Bob's", 'body' => 'Ünïcödé']),
        ];
        $deleted = $this->call('DELETE', '/api/v1/notes/' . $this->noteIds['deleted'], headers: $zoe);
        $this->assertSame(204, $deleted->status);
        $this->closeDatabase();

        // Set, even when empty, so that nothing is taken from the project's .env.
        $this->env = [
            'DATABASE_URL' => $url,
            'BACKUP_DIR' => $this->dir . '/backups',
            'APP_ENV' => 'test',
            'BACKUP_AGE_RECIPIENT' => '',
            'BACKUP_AGE_IDENTITY' => '',
        ];
        [$status, $out, $err] = $this->script('backup.sh');
        $this->assertSame(0, $status, $err);
        $lines = explode("\n", trim($out));
        $this->backup = end($lines);
        $this->assertFileExists($this->backup);
        $this->assertSame($this->dir . '/backups', dirname($this->backup));
    }

    protected function tearDown(): void
    {
        if (isset($this->dir)) {
            exec('rm -rf ' . escapeshellarg($this->dir));
        }
        parent::tearDown();
    }

    public function testBackupWritesAChecksumAndAManifest(): void
    {
        $digest = hash_file('sha256', $this->backup);
        $this->assertSame("$digest  " . basename($this->backup) . "\n", file_get_contents($this->backup . '.sha256'));
        $manifest = json_decode((string) file_get_contents($this->backup . '.json'), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame('sqlite', $manifest['engine']);
        $this->assertSame($digest, $manifest['sha256']);
        $this->assertSame(filesize($this->backup), $manifest['size']);
        $this->assertSame(4, $manifest['row_counts']['notes']);
        $this->assertSame(2, $manifest['row_counts']['users']);
        $versions = array_keys($this->migrator('sqlite:///' . $this->database)->available());
        $this->assertSame(['table' => 'schema_migrations', 'head' => (string) end($versions)], $manifest['migrations']);
    }

    public function testRestoreBringsBackExactlyTheBackedUpData(): void
    {
        $before = $this->rows();
        $this->sqlite('DELETE FROM notes; DELETE FROM users;');
        $this->assertSame([], $this->rows()['notes']);

        [$status, , $err] = $this->script('restore.sh', $this->backup, '--yes');
        $this->assertSame(0, $status, $err);
        $this->assertSame($before, $this->rows());

        $this->app = $this->makeApp($this->settings);
        $zoe = $this->login('zoe@example.com'); // the password hash came back too
        $note = $this->call('GET', '/api/v1/notes/' . $this->noteIds['unicode'], headers: $zoe)->json();
        $this->assertSame([self::UNICODE_TITLE, self::UNICODE_BODY], [$note['title'], $note['body']]);
        $noBody = $this->call('GET', '/api/v1/notes/' . $this->noteIds['no body'], headers: $zoe)->json();
        $this->assertNull($noBody['body']);
        $this->assertProblem($this->call('GET', '/api/v1/notes/' . $this->noteIds['deleted'], headers: $zoe), 404);
        $this->assertGreaterThan(max($this->noteIds), $this->addNote($zoe, ['title' => 'Written after the restore']));
    }

    public function testRestoreRefusesACorruptedBackupAndKeepsTheLiveDatabase(): void
    {
        $this->app = $this->makeApp($this->settings);
        $this->addNote($this->login('bob@example.com'), ['title' => 'Only in the live database']);
        $this->closeDatabase();
        $live = $this->rows();
        $liveDigest = hash_file('sha256', $this->database);

        $data = (string) file_get_contents($this->backup);
        $at = strpos($data, self::CANARY);
        $this->assertNotFalse($at, 'the canary note is not stored as plain text in the backup');
        $data[$at] = 'b'; // still valid text, but no longer the backed-up bytes
        file_put_contents($this->backup, $data);

        [$status, , $err] = $this->script('restore.sh', $this->backup, '--yes');
        $this->assertNotSame(0, $status);
        $this->assertStringContainsString('checksum mismatch', $err);
        $this->assertSame($liveDigest, hash_file('sha256', $this->database));
        $this->assertSame($live, $this->rows());
    }

    /** @param array<string, string> $headers */
    private function addNote(array $headers, array $note): int
    {
        $response = $this->call('POST', '/api/v1/notes', $note, $headers);
        $this->assertSame(201, $response->status, $response->text);
        return $response->json()['id'];
    }

    /** @return array<string, string> */
    private function register(string $email): array
    {
        $credentials = ['email' => $email, 'password' => self::PASSWORD];
        $this->assertSame(201, $this->post('/api/v1/auth/register', $credentials)->status);
        return $this->login($email);
    }

    /** Nothing may hold the file open while restore.sh swaps it: drop the app and its connection. */
    private function closeDatabase(): void
    {
        unset($this->app);
        gc_collect_cycles();
    }

    /** @return array{0: int, 1: string, 2: string} exit status, stdout, stderr */
    private function script(string $name, string ...$args): array
    {
        $ours = static fn (string $key): bool => in_array($key, ['DATABASE_URL', 'APP_ENV'], true)
            || str_starts_with($key, 'BACKUP_') || str_starts_with($key, 'PG');
        $env = array_filter(getenv(), static fn (string $key): bool => !$ours($key), ARRAY_FILTER_USE_KEY);
        $process = proc_open(
            ['bash', self::SCRIPTS . '/' . $name, ...$args],
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            AppFactory::PROJECT_ROOT,
            [...$env, ...$this->env],
        );
        $this->assertIsResource($process);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        return [proc_close($process), $out, $err];
    }

    /**
     * Every row of every table, ordered, one JSON array per row (read with the sqlite3 tool, so
     * the app holds no connection).
     *
     * @return array<string, list<string>>
     */
    private function rows(): array
    {
        $rows = [];
        foreach ($this->sqlite("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") as $table) {
            $json = implode("\n", $this->sqlite("SELECT * FROM \"$table\" ORDER BY 1", '-json'));
            $decoded = $json === '' ? [] : json_decode($json, true, 512, JSON_THROW_ON_ERROR);
            $rows[$table] = array_map(static fn (array $row): string => json_encode(array_values($row)), $decoded);
        }
        return $rows;
    }

    /** @return list<string> the output lines */
    private function sqlite(string $sql, string $mode = '-list'): array
    {
        $command = 'sqlite3 ' . $mode . ' ' . escapeshellarg($this->database) . ' ' . escapeshellarg($sql) . ' 2>&1';
        exec($command, $output, $status);
        $this->assertSame(0, $status, implode("\n", $output));
        return $output;
    }

    private function migrator(string $url): Migrator
    {
        $db = Database::fromUrl($url, AppFactory::PROJECT_ROOT);
        return new Migrator($db, AppFactory::PROJECT_ROOT . '/migrations');
    }

    private static function hasCommand(string $command): bool
    {
        exec('command -v ' . escapeshellarg($command) . ' 2>/dev/null', $output, $status);
        return $status === 0;
    }
}
