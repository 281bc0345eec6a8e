-- Accounts, and the failed-login counts every php-fpm worker shares.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL
);

-- One row per (client IP, email) with failures in the current 60 s window; see LoginThrottle.
CREATE TABLE login_throttle (
    key text PRIMARY KEY,
    failures integer NOT NULL,
    window_start bigint NOT NULL
);
