<?php

/**
 * Applies pending migrations to the database in DATABASE_URL (`composer migrate`). Safe to run
 * any number of times: what was applied is recorded in schema_migrations.
 */

declare(strict_types=1);

use App\ConfigError;
use App\Database\Database;
use App\Database\Migrator;
use App\Settings;

require dirname(__DIR__) . '/vendor/autoload.php';

$root = dirname(__DIR__);
$env = Settings::environment($root);
try {
    $db = Database::fromUrl(trim($env['DATABASE_URL'] ?? '') ?: Settings::DEFAULT_DATABASE_URL, $root);
    $applied = (new Migrator($db, $root . '/migrations'))->migrate();
} catch (ConfigError | PDOException $error) {
    fwrite(STDERR, 'migrate: ' . $error->getMessage() . PHP_EOL);
    exit(1);
}
echo $applied === []
    ? 'migrate: the database is up to date' . PHP_EOL
    : 'migrate: applied ' . implode(', ', $applied) . PHP_EOL;
