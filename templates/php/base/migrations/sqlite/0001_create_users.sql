-- Accounts, and the rate-limit counters every php-fpm worker shares.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- One row per counter (failed logins per client and email, per client; registrations per
-- client) with the hits of its current window; see RateLimiter. Keys are SHA-256 hashes.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    hits INTEGER NOT NULL,
    window_end INTEGER NOT NULL
) STRICT;
