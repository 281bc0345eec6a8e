<?php

declare(strict_types=1);

namespace App\Tests\Support;

use App\Database\Database;
use PDOStatement;

/** A Database that records the SQL of every statement it runs (CountingDatabase::fromUrl()). */
final class CountingDatabase extends Database
{
    /** @var list<string> */
    public array $statements = [];

    /** @param array<int|string, mixed> $params */
    protected function execute(string $sql, array $params): PDOStatement
    {
        $this->statements[] = $sql;
        return parent::execute($sql, $params);
    }
}
