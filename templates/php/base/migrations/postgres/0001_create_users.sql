-- Accounts, and the rate-limit counters every php-fpm worker shares.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL
);

-- One row per counter (failed logins per client and email, per client; registrations per
-- client) with the hits of its current window; see RateLimiter. Keys are SHA-256 hashes.
CREATE TABLE rate_limits (
    key text PRIMARY KEY,
    hits integer NOT NULL,
    window_end bigint NOT NULL
);
