<?php

declare(strict_types=1);

namespace App\Auth;

use App\Database\Database;
use App\Http\Problem;

/** The `users` table. */
final class Users
{
    public function __construct(private readonly Database $db)
    {
    }

    /**
     * Creates an account; a 409 Problem when the email is taken.
     *
     * @return array{id: int, email: string}
     */
    public function create(string $email, string $passwordHash): array
    {
        try {
            $row = $this->db->one(
                'INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?) RETURNING id',
                [$email, $passwordHash, gmdate('Y-m-d\TH:i:s\Z')],
            );
        } catch (\PDOException $error) {
            // The unique constraint decides, so two simultaneous sign-ups cannot both win.
            if (Database::isUniqueViolation($error)) {
                throw new Problem(409, 'An account with this email already exists.');
            }
            throw $error;
        }
        return ['id' => (int) ($row['id'] ?? 0), 'email' => $email];
    }

    /** @return array{id: int, email: string, password_hash: string}|null */
    public function findByEmail(string $email): ?array
    {
        return self::user($this->db->one('SELECT id, email, password_hash FROM users WHERE email = ?', [$email]));
    }

    /** @return array{id: int, email: string, password_hash: string}|null */
    public function find(int $id): ?array
    {
        return self::user($this->db->one('SELECT id, email, password_hash FROM users WHERE id = ?', [$id]));
    }

    public function updatePasswordHash(int $id, string $passwordHash): void
    {
        $this->db->run('UPDATE users SET password_hash = ? WHERE id = ?', [$passwordHash, $id]);
    }

    /**
     * @param array<string, mixed>|null $row
     * @return array{id: int, email: string, password_hash: string}|null
     */
    private static function user(?array $row): ?array
    {
        if ($row === null) {
            return null;
        }
        return [
            'id' => (int) $row['id'],
            'email' => (string) $row['email'],
            'password_hash' => (string) $row['password_hash'],
        ];
    }
}
