-- Accounts, and the failed-login counts every php-fpm worker shares.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- One row per (client IP, email) with failures in the current 60 s window; see LoginThrottle.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL
) STRICT;
