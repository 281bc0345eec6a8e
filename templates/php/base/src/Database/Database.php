<?php

declare(strict_types=1);

namespace App\Database;

use App\ConfigError;
use PDO;
use PDOStatement;

/**
 * A PDO connection to SQLite or PostgreSQL, opened on first use (so `/health` never touches the
 * database). Every query goes through a prepared statement with bound parameters. Not final: the
 * tests count queries with a subclass.
 */
class Database
{
    /** Query parameters of a PostgreSQL URL that are passed on to libpq. */
    private const PG_PARAMETERS = [
        'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name',
    ];

    /** How long an SQLite writer waits for another's lock before failing (busy_timeout). */
    public const SQLITE_BUSY_TIMEOUT_MS = 5000;

    private ?PDO $pdo = null;

    /** @param 'sqlite'|'postgres' $dialect */
    private function __construct(
        public readonly string $dialect,
        private readonly string $dsn,
        private readonly ?string $user = null,
        private readonly ?string $password = null,
        private readonly ?string $sqliteFile = null,
        private readonly bool $persistent = false,
    ) {
    }

    /**
     * Parses a DATABASE_URL: `sqlite:///relative/to/project.db`, `sqlite:////absolute/path.db`,
     * or `postgresql://user:password@host:5432/name` (`postgres://` accepted, query parameters
     * such as `sslmode` passed on). With `$persistent`, the connection outlives the request and
     * serves the process's next ones (php-fpm workers: see AppFactory).
     */
    public static function fromUrl(string $url, string $projectRoot, bool $persistent = false): static
    {
        if (str_starts_with($url, 'sqlite:///')) {
            $path = substr($url, strlen('sqlite:///'));
            if ($path === '' || $path === ':memory:') {
                throw new ConfigError('DATABASE_URL must name a SQLite file, e.g. sqlite:///data/app.db');
            }
            $file = str_starts_with($path, '/') ? $path : $projectRoot . '/' . $path;
            return new static('sqlite', 'sqlite:' . $file, sqliteFile: $file, persistent: $persistent);
        }
        $parts = parse_url($url);
        $scheme = is_array($parts) ? ($parts['scheme'] ?? '') : '';
        if (!is_array($parts) || !in_array($scheme, ['postgres', 'postgresql'], true)) {
            throw new ConfigError('DATABASE_URL must be a sqlite:/// or postgresql:// URL');
        }
        $name = rawurldecode(ltrim($parts['path'] ?? '', '/'));
        if ($name === '') {
            throw new ConfigError('DATABASE_URL names no database (postgresql://user:password@host:5432/name)');
        }
        $dsn = [
            'host' => rawurldecode($parts['host'] ?? '127.0.0.1'),
            'port' => (string) ($parts['port'] ?? 5432),
            'dbname' => $name,
        ];
        parse_str($parts['query'] ?? '', $query);
        foreach ($query as $key => $value) {
            if (is_string($value) && in_array($key, self::PG_PARAMETERS, true)) {
                $dsn[$key] = $value;
            }
        }
        $pairs = array_map(static fn (string $key, string $value): string => "$key=$value", array_keys($dsn), $dsn);
        return new static(
            'postgres',
            'pgsql:' . implode(';', $pairs),
            isset($parts['user']) ? rawurldecode($parts['user']) : null,
            isset($parts['pass']) ? rawurldecode($parts['pass']) : null,
            persistent: $persistent,
        );
    }

    public function pdo(): PDO
    {
        return $this->pdo ??= $this->connect();
    }

    /**
     * @param array<int|string, mixed> $params
     * @return list<array<string, mixed>>
     */
    public function all(string $sql, array $params = []): array
    {
        /** @var list<array<string, mixed>> */
        return $this->execute($sql, $params)->fetchAll();
    }

    /**
     * @param array<int|string, mixed> $params
     * @return array<string, mixed>|null
     */
    public function one(string $sql, array $params = []): ?array
    {
        $row = $this->execute($sql, $params)->fetch();
        return is_array($row) ? $row : null;
    }

    /**
     * Runs a statement and returns the number of rows it changed.
     *
     * @param array<int|string, mixed> $params
     */
    public function run(string $sql, array $params = []): int
    {
        return $this->execute($sql, $params)->rowCount();
    }

    /**
     * Runs `$work` in a transaction: committed when it returns, rolled back when it throws.
     *
     * @template T
     * @param callable(self): T $work
     * @return T
     */
    public function transaction(callable $work): mixed
    {
        $pdo = $this->pdo();
        $pdo->beginTransaction();
        try {
            $result = $work($this);
            $pdo->commit();
            return $result;
        } catch (\Throwable $error) {
            if ($pdo->inTransaction()) {
                $pdo->rollBack();
            }
            throw $error;
        }
    }

    /** Whether `$error` is a unique-constraint violation (e.g. a duplicate email). */
    public static function isUniqueViolation(\PDOException $error): bool
    {
        $state = (string) $error->getCode();
        // PostgreSQL says 23505; SQLite says 23000 for every constraint, so read its message.
        return $state === '23505' || ($state === '23000' && str_contains($error->getMessage(), 'UNIQUE'));
    }

    /** @param array<int|string, mixed> $params */
    protected function execute(string $sql, array $params): PDOStatement
    {
        $statement = $this->pdo()->prepare($sql);
        foreach ($params as $key => $value) {
            [$value, $type] = match (true) {
                $value === null => [null, PDO::PARAM_NULL],
                is_int($value) => [$value, PDO::PARAM_INT],
                // SQLite has no boolean type: its columns hold 0 and 1.
                is_bool($value) => $this->dialect === 'sqlite'
                    ? [(int) $value, PDO::PARAM_INT]
                    : [$value, PDO::PARAM_BOOL],
                // Shortest text that reads back as the same double (PHP's own conversion keeps
                // only `precision` = 14 digits).
                is_float($value) => [json_encode($value, JSON_THROW_ON_ERROR), PDO::PARAM_STR],
                default => [$value, PDO::PARAM_STR],
            };
            $statement->bindValue(is_int($key) ? $key + 1 : $key, $value, $type);
        }
        $statement->execute();
        return $statement;
    }

    private function connect(): PDO
    {
        $options = [
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
            PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_ASSOC,
            PDO::ATTR_EMULATE_PREPARES => false,
            PDO::ATTR_STRINGIFY_FETCHES => false,
            // PDO rolls back a transaction a request left open before the next one reuses the connection.
            PDO::ATTR_PERSISTENT => $this->persistent,
        ];
        if ($this->dialect === 'sqlite') {
            $directory = dirname((string) $this->sqliteFile);
            // The folder of a new SQLite file is created; failing that is a database failure.
            if (!is_dir($directory) && !@mkdir($directory, 0o750, true) && !is_dir($directory)) {
                throw new \PDOException("cannot create the folder of the SQLite database, $directory");
            }
            // How long a writer waits for another process's lock instead of failing at once.
            $options[PDO::ATTR_TIMEOUT] = intdiv(self::SQLITE_BUSY_TIMEOUT_MS, 1000);
            $pdo = new PDO($this->dsn, null, null, $options);
            // WAL lets readers and a writer work side by side (several php-fpm workers share the
            // file). synchronous = NORMAL: in WAL mode a commit is then a write to the log with no
            // fsync, which happens at checkpoints instead; the database stays consistent on a
            // crash, and only a power loss can undo the last commits.
            $pdo->exec(
                'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;'
                    . ' PRAGMA busy_timeout = ' . self::SQLITE_BUSY_TIMEOUT_MS,
            );
            return $pdo;
        }
        $pdo = new PDO($this->dsn, $this->user, $this->password, $options);
        try {
            // Timestamps come back in UTC, whatever the server's default time zone.
            $pdo->exec("SET TIME ZONE 'UTC'");
        } catch (\PDOException $error) {
            if (!$this->persistent) {
                throw $error;
            }
            // A kept connection whose server has ended it since (a restart, a failover) fails
            // its first statement, and PDO then knows it is broken: asked again, it connects
            // anew. Without this, each php-fpm worker would fail one request after a restart.
            // Nothing of the request has run yet, so nothing is repeated.
            $pdo = new PDO($this->dsn, $this->user, $this->password, $options);
            $pdo->exec("SET TIME ZONE 'UTC'");
        }
        return $pdo;
    }
}
