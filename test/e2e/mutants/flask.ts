import type { Mutant } from './mutant.js';

const NOTES = 'app/resources/notes/routes.py';
const TASKS = 'app/resources/tasks/routes.py';

/** Mistakes a maintainer could make in a generated Flask project; its pytest suite must catch each. */
export const mutants: Mutant[] = [
  // Owner isolation and concurrent writes
  {
    name: 'notes list forgets the owner filter (items, not the total)',
    file: NOTES,
    find: '    select(*COLUMNS, COUNT.scalar_subquery().label("total"))\n    .where(_mine)\n',
    replace: '    select(*COLUMNS, COUNT.scalar_subquery().label("total"))\n',
  },
  {
    name: 'tasks list forgets the owner filter (items, not the total)',
    file: TASKS,
    find: '    select(*COLUMNS, COUNT.scalar_subquery().label("total"))\n    .where(_mine)\n',
    replace: '    select(*COLUMNS, COUNT.scalar_subquery().label("total"))\n',
  },
  {
    name: 'get forgets the owner filter',
    file: NOTES,
    find: 'select(Note).filter_by(id=item_id, owner_id=owner_id)',
    replace: 'select(Note).filter_by(id=item_id)',
  },
  {
    name: 'patch forgets the owner filter',
    file: NOTES,
    find: 'update(Note)\n        .filter_by(id=item_id, owner_id=owner_id)',
    replace: 'update(Note)\n        .filter_by(id=item_id)',
  },
  {
    name: 'delete forgets the owner filter',
    file: TASKS,
    find: 'delete(Task).filter_by(id=item_id, owner_id=owner_id)',
    replace: 'delete(Task).filter_by(id=item_id)',
  },
  {
    name: 'SQLite reuses the highest note id after a delete',
    file: 'migrations/versions/0002_create_notes.py',
    find: 'sqlite_autoincrement=True,',
    replace: 'sqlite_autoincrement=False,',
  },
  {
    name: "SQLite gives a deleted user's id (and so its tokens) to the next account",
    file: 'migrations/versions/0001_create_users.py',
    find: 'sqlite_autoincrement=True,',
    replace: 'sqlite_autoincrement=False,',
  },
  {
    name: 'delete ignores the row count (parallel DELETEs all answer 204)',
    file: TASKS,
    find: 'if deleted.rowcount != 1:',
    replace: 'if deleted.rowcount < 0:',
  },

  {
    name: 'a page past the end reports a total of 0',
    file: NOTES,
    find: 'total = rows[0].total if rows else (connection.scalar(COUNT, params) if offset else 0)',
    replace: 'total = rows[0].total if rows else 0',
  },

  // Database settings and the list path's cost
  {
    name: 'SQLite left in rollback-journal mode (no WAL)',
    file: 'app/database.py',
    find: '"PRAGMA journal_mode = WAL",',
    replace: '"PRAGMA journal_mode = DELETE",',
  },
  {
    name: 'SQLite fsyncs every commit (synchronous=FULL)',
    file: 'app/database.py',
    find: '"PRAGMA synchronous = NORMAL",',
    replace: '"PRAGMA synchronous = FULL",',
  },
  {
    name: 'SQLite writers fail at once on a lock (no busy timeout)',
    file: 'app/database.py',
    find: 'f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",',
    replace: '"PRAGMA busy_timeout = 0",',
  },
  {
    name: 'a new SQLite connection per request (no pool)',
    file: 'app/database.py',
    find: 'engine = create_engine(url)',
    replace: 'engine = create_engine(url, poolclass=__import__("sqlalchemy.pool").pool.NullPool)',
  },
  {
    name: 'the list counts in a statement of its own',
    file: NOTES,
    find: 'rows = connection.execute(PAGE, params).all()',
    replace: 'rows = connection.execute(PAGE, params).all()\n    connection.scalar(COUNT, params)',
  },
  {
    name: 'the list builds ORM objects for its rows',
    file: NOTES,
    find: 'items=[to_dict(row) for row in rows]',
    replace: 'items=[to_dict(db_session().get(Note, row.id) or row) for row in rows]',
  },

  // Overload
  {
    name: 'requests queued too long are served anyway (no shedding)',
    file: 'gunicorn_overload.py',
    find: '        standing_queue = conn.waiting_behind >= self.burst_per_thread * self.cfg.threads',
    replace: '        standing_queue = False',
  },
  {
    name: 'a short burst shed like a standing queue (32 parallel logins get 503)',
    file: 'gunicorn_overload.py',
    find: '        standing_queue = conn.waiting_behind >= self.burst_per_thread * self.cfg.threads',
    replace: '        standing_queue = True',
  },
  {
    name: 'the probes are shed with the rest under overload',
    file: 'gunicorn_overload.py',
    find: 'PROBE_PATHS = frozenset({"/health", "/ready"})',
    replace: 'PROBE_PATHS: frozenset[str] = frozenset()',
  },
  {
    name: 'shed requests get no Retry-After',
    file: 'gunicorn_overload.py',
    find: 'extra_headers=(("Retry-After", str(RETRY_AFTER_SECONDS)),),',
    replace: 'extra_headers=(),',
  },
  {
    name: 'an invalid REQUEST_QUEUE_TIMEOUT_MS accepted',
    file: 'gunicorn.conf.py',
    find: 'if not (raw.isascii() and raw.isdecimal() and minimum <= int(raw) <= maximum):',
    replace: 'if not raw:',
  },

  // Tokens
  {
    name: 'algorithm pin dropped (other HMAC algorithms accepted)',
    file: 'app/tokens.py',
    find: 'algorithms=[ALGORITHM],',
    replace: 'algorithms=[ALGORITHM, "HS384", "HS512"],',
  },
  {
    name: 'aud check dropped',
    file: 'app/tokens.py',
    find: 'options={"require": REQUIRED_CLAIMS},',
    replace: 'options={"require": REQUIRED_CLAIMS, "verify_aud": False},',
  },
  {
    name: 'iss check dropped',
    file: 'app/tokens.py',
    find: 'options={"require": REQUIRED_CLAIMS},',
    replace: 'options={"require": REQUIRED_CLAIMS, "verify_iss": False},',
  },
  {
    name: 'expiry not checked',
    file: 'app/tokens.py',
    find: 'options={"require": REQUIRED_CLAIMS},',
    replace: 'options={"require": REQUIRED_CLAIMS, "verify_exp": False},',
  },
  {
    name: 'token lifetime cap (exp - iat) dropped',
    file: 'app/tokens.py',
    find: 'if exp - iat > settings.jwt_ttl_seconds:',
    replace: 'if exp - iat < 0:',
  },
  {
    name: 'exp and iat not required to be integers',
    file: 'app/tokens.py',
    find: 'if type(iat) is not int or type(exp) is not int:',
    replace: 'if False:',
  },
  {
    name: 'two Authorization headers not refused as such',
    file: 'app/auth.py',
    find: 'if "," in token:',
    replace: 'if False:',
  },
  {
    name: "a deleted user's token still opens everything",
    file: 'app/auth.py',
    find: 'if db_connection().scalar(_USER_EXISTS, {"user_id": user_id}) is None:',
    replace: 'if False:',
  },
  {
    name: 'a remembered token outlives its expiry',
    file: 'app/tokens.py',
    find: 'if known is not None and time.time() < known.expires_at:',
    replace: 'if known is not None:',
  },

  // Login and registration limits
  {
    name: 'login throttle per (IP, email) dropped',
    file: 'app/routes/auth.py',
    find: '(("login", client, email), LOGIN_PER_EMAIL),',
    replace: '',
  },
  {
    name: 'per-IP cap across emails dropped',
    file: 'app/routes/auth.py',
    find: '(("login", client), LOGIN_PER_CLIENT),',
    replace: '',
  },
  {
    name: 'successful logins keep their attempt (counted as failures)',
    file: 'app/routes/auth.py',
    find: '_throttle().give_back(ticket)',
    replace: 'pass',
  },
  {
    name: 'registration limit dropped',
    file: 'app/routes/auth.py',
    find: '(("register", client_address()), REGISTRATIONS_PER_CLIENT),',
    replace: '',
  },
  {
    name: 'throttle keyed on a client-supplied X-Forwarded-For',
    file: 'app/routes/auth.py',
    find: 'return request.remote_addr or "unknown"',
    replace: 'return request.headers.get("X-Forwarded-For") or request.remote_addr or "unknown"',
  },
  {
    name: 'forwarded headers believed from any peer (TRUSTED_PROXIES ignored)',
    file: 'app/proxies.py',
    find: 'if self.networks and self.trusts(_address(environ.get("REMOTE_ADDR", ""))):',
    replace: 'if True:',
  },
  {
    name: 'the left-most X-Forwarded-For entry (written by the client) taken as the client',
    file: 'app/proxies.py',
    find: 'for entry in reversed(forwarded_for.split(",")):',
    replace: 'for entry in forwarded_for.split(","):',
  },
  {
    name: 'an invalid TRUSTED_PROXIES entry skipped instead of refused',
    file: 'app/config.py',
    find: 'networks.append(ipaddress.ip_network(entry))\n        except ValueError:\n            raise ConfigError(',
    replace: 'networks.append(ipaddress.ip_network(entry))\n        except ValueError:\n            continue\n            raise ConfigError(',
  },
  {
    name: 'Redis errors let the attempt through (rate limits fail open)',
    file: 'app/redis_throttle.py',
    find: 'raise StoreUnavailable from exc',
    replace: 'return Ticket((), attempt)',
  },
  {
    name: 'Redis rate limit keys never expire',
    file: 'app/redis_throttle.py',
    find: "  redis.call('PEXPIRE', key, ARGV[2 * i + 1])\n",
    replace: '',
  },
  {
    name: 'an unavailable rate limit store skips the limit instead of answering 503',
    file: 'app/routes/auth.py',
    find: 'except StoreUnavailable:',
    replace: 'except StoreUnavailable:\n        return Ticket((), "")',
  },
  {
    name: 'dummy hash for unknown emails skipped',
    file: 'app/routes/auth.py',
    find: 'password_ok = verify_password(user.password_hash if user else None, payload.password)',
    replace: 'password_ok = user is not None and verify_password(user.password_hash, payload.password)',
  },

  // Passwords
  {
    name: 'weak password hashing (argon2 parameters lowered)',
    file: 'app/passwords.py',
    find: 'memory_cost=19_456,',
    replace: 'memory_cost=8_192,',
  },
  {
    name: 'common-password check dropped',
    file: 'app/passwords.py',
    find: 'if lowered in common_passwords():',
    replace: 'if False:',
  },
  {
    name: 'password equal to the email accepted',
    file: 'app/passwords.py',
    find: 'if lowered == email.lower():',
    replace: 'if False:',
  },

  // Input
  {
    name: 'emails not held to the ASCII pattern',
    file: 'app/schemas.py',
    find: '_EMAIL = re.compile(rf"(?=[^@]{{1,64}}@){_ATOM}(?:\\.{_ATOM})*@{_LABEL}(?:\\.{_LABEL})+")',
    replace: '_EMAIL = re.compile(r"[^@\\s]+@[^@\\s]+\\.[^@\\s]+")',
  },
  {
    name: 'emails trimmed before validation',
    file: 'app/schemas.py',
    find: 'value = ascii_lower(value)',
    replace: 'value = ascii_lower(value.strip())',
  },
  {
    name: 'NUL accepted in strings',
    file: 'app/fields.py',
    find: 'if "\\x00" in value:',
    replace: 'if False:',
  },
  {
    name: 'unknown-field rejection dropped',
    file: 'app/fields.py',
    find: 'extra="forbid"',
    replace: 'extra="ignore"',
  },
  {
    name: 'every validation error listed',
    file: 'app/errors.py',
    find: 'errors=errors[:MAX_LISTED_ERRORS]',
    replace: 'errors=errors',
  },
  {
    name: 'request bodies read whatever their charset',
    file: 'app/validation.py',
    find: 'if request.is_json and charset.lower() != "utf-8":',
    replace: 'if False:',
  },
  {
    name: 'ids with a sign, a leading zero or non-ASCII digits accepted',
    file: 'app/validation.py',
    find: 'regex = r"[1-9][0-9]{0,15}"',
    replace: 'regex = r"[+]?\\d+"',
  },
  {
    name: 'body limit raised',
    file: 'app/__init__.py',
    find: 'MAX_BODY_BYTES = 1024 * 1024',
    replace: 'MAX_BODY_BYTES = 16 * 1024 * 1024',
  },
  {
    name: 'pagination maximum raised',
    file: NOTES,
    find: 'MAX_LIMIT = 100',
    replace: 'MAX_LIMIT = 1000',
  },
  {
    name: 'offset no longer capped at 2^31 - 1',
    file: TASKS,
    find: 'maximum=MAX_OFFSET)',
    replace: 'maximum=None)',
  },

  // HTTP surface
  {
    name: 'OPTIONS answered by Flask instead of 405',
    file: 'app/__init__.py',
    find: 'PROVIDE_AUTOMATIC_OPTIONS=False,',
    replace: 'PROVIDE_AUTOMATIC_OPTIONS=True,',
  },
  {
    name: 'leading empty segments dropped (//api/v1/notes served as /api/v1/notes)',
    file: 'app/errors.py',
    find: 'if request.environ.get("PATH_INFO", "").startswith("//"):',
    replace: 'if False:',
  },
  {
    name: 'routing redirects built from the Host header (GET /api//v1/notes)',
    file: 'app/errors.py',
    find: 'if isinstance(request.routing_exception, RequestRedirect):',
    replace: 'if False:',
  },
  {
    name: 'one security header dropped',
    file: 'app/security_headers.py',
    find: '"Referrer-Policy": "no-referrer",',
    replace: '',
  },
  {
    name: 'Cache-Control: no-store decided on the raw, undecoded path',
    file: 'app/security_headers.py',
    find: 'if request.path.startswith("/api/"):',
    replace: 'if request.environ.get("RAW_URI", request.path).startswith("/api/"):',
  },
  {
    name: 'CORS reflects any origin',
    file: 'app/cors.py',
    find: 'if origin in allowed:',
    replace: 'if origin:',
  },

  // Configuration
  {
    name: 'placeholder secrets accepted in production',
    file: 'app/config.py',
    find: 'if any(marker in lowered for marker in PLACEHOLDER_MARKERS):',
    replace: 'if False:',
  },
  {
    name: 'secrets with few distinct characters accepted (48 x "a")',
    file: 'app/config.py',
    find: 'if len(set(value)) < MIN_SECRET_DISTINCT_CHARACTERS:',
    replace: 'if False:',
  },
  {
    name: '.env.* files not ignored by git',
    file: '.gitignore',
    find: '.env.*\n',
    replace: '',
  },
  {
    name: "settings always read the developer's .env",
    file: 'app/config.py',
    find: 'env_file = os.environ.get("ENV_FILE", str(PROJECT_ROOT / ".env"))',
    replace: 'env_file = str(PROJECT_ROOT / ".env")',
  },

  // Backups
  {
    name: 'restore skips the backup checksum',
    file: 'ops/backup/restore.sh',
    find: 'verify_checksum "$backup"',
    replace: ': verify_checksum "$backup"',
  },

  // Docs page and the OpenAPI document
  {
    name: 'docs page CSP allows inline scripts',
    file: 'app/routes/docs.py',
    find: `    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "`,
    replace: `    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "`,
  },
  {
    name: 'docs files served with the docs turned off',
    file: 'app/routes/docs.py',
    find: '    if not settings.openapi_enabled:',
    replace: '    if False:',
  },
  {
    name: "the deny-all CSP overwrites the docs page's own (Swagger UI cannot load)",
    file: 'app/security_headers.py',
    find: 'response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)',
    replace: 'response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY',
  },
  {
    name: 'a route added without documenting it in openapi.json',
    file: 'app/routes/meta.py',
    find: '@bp.get("/ready")',
    replace: '@bp.get("/version")\ndef version() -> Response:\n    return jsonify(version="1")\n\n\n@bp.get("/ready")',
  },
  // Authentication event log (on with --sensitive-data yes, AUTH_EVENT_LOG=true otherwise)
  {
    name: 'a failed login is not logged',
    file: 'app/routes/auth.py',
    find: '        events.record("login.failed")\n',
    replace: '',
  },
  {
    name: 'a rejected token is not logged',
    file: 'app/auth.py',
    find: '        events.record("token.rejected")\n        raise unauthorized("The token is invalid or has expired.") from None',
    replace: '        raise unauthorized("The token is invalid or has expired.") from None',
  },
];
