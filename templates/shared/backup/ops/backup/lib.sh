# shellcheck shell=bash
# Shared code of the ops/backup scripts. Sourced by them, never run on its own.
#
# Conventions: every function either succeeds or calls die(); functions that compute a
# value print it on stdout or, where they run in loops, set REPLY to avoid a subshell.

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  echo "lib.sh is sourced by the backup scripts; run backup.sh, restore.sh, ... instead" >&2
  exit 2
fi

# Backups hold the whole database: nothing these scripts create is readable by others.
umask 077
# Make failures inside $(...) stop the script too (bash otherwise clears -e there).
shopt -s inherit_errexit

SCRIPT_NAME=${0##*/}
SCRIPTS_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
PROJECT_ROOT=$(cd -- "$SCRIPTS_DIR/../.." && pwd -P)

# Backup files are <name>-<YYYYmmddTHHMMSSZ>.<sqlite3|dump>[.age]; the UTC timestamp in the
# name is the authoritative creation time (list.sh and prune.sh never look at mtimes).
NAME_RE='^(.+)-([0-9]{8}T[0-9]{6}Z)\.(sqlite3|dump)(\.age)?$'

# Database names the scripts accept (they are also used to build scratch database names).
PG_NAME_RE='^[A-Za-z0-9_][A-Za-z0-9_$-]*$'

# Set by a script to say what a failure leaves behind, e.g. "the live database was not changed".
FAIL_HINT=""

# ---------------------------------------------------------------------------------------------
# Messages and exit handling

warn() { printf '%s: warning: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 1
}
usage_error() {
  printf '%s: %s (see %s --help)\n' "$SCRIPT_NAME" "$*" "$SCRIPT_NAME" >&2
  exit 2
}

# Cleanup actions run in reverse order on exit, success or not: "path <p>" removes a file or
# directory, "pgdb <name>" drops a scratch database, "pgallow <name>" re-opens a database
# that was closed to new connections.
CLEANUP=()
cleanup_add() { CLEANUP+=("$1 $2"); }
cleanup_remove() {
  local i
  for i in "${!CLEANUP[@]}"; do
    [[ ${CLEANUP[i]} == "$1 $2" ]] && unset 'CLEANUP[i]'
  done
  return 0
}

run_cleanup() {
  local status=$? i action kind arg
  trap - ERR
  set +e
  for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do
    action=${CLEANUP[i]-}
    [[ -n $action ]] || continue
    kind=${action%% *}
    arg=${action#* }
    case $kind in
      path) rm -rf -- "$arg" ;;
      pgdb) pg_drop_database "$arg" || warn "could not drop scratch database $arg; drop it by hand" ;;
      pgallow) pg_psql_maint -c "ALTER DATABASE $(sql_ident "$arg") WITH ALLOW_CONNECTIONS true" >/dev/null ||
        warn "could not re-open database $arg to connections: ALTER DATABASE \"$arg\" WITH ALLOW_CONNECTIONS true" ;;
    esac
  done
  if ((status != 0)) && [[ -n $FAIL_HINT ]]; then
    printf '%s: failed; %s\n' "$SCRIPT_NAME" "$FAIL_HINT" >&2
  fi
  exit "$status"
}

on_error() {
  local status=$1 line=$2 cmd=$3
  # A failure inside $(...) was already reported by die() or by the failing tool itself.
  ((BASH_SUBSHELL == 0)) || return 0
  [[ $cmd != *"\$("* ]] || return 0
  # 141 is SIGPIPE: the reader of our output went away (e.g. `--help | head`), not a failure.
  ((status != 141)) || return 0
  printf '%s: error: command failed with status %s (line %s): %s\n' "$SCRIPT_NAME" "$status" "$line" "$cmd" >&2
}

trap run_cleanup EXIT
trap 'on_error $? $LINENO "$BASH_COMMAND"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

require_cmd() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "required command '$cmd' not found; install it (see ops/backup/README.md)"
  done
}

# ---------------------------------------------------------------------------------------------
# Configuration

# Reads the variables the scripts use from the project's .env without executing it.
# Variables already in the environment win, as they do for the app.
load_dotenv() {
  local file=$PROJECT_ROOT/.env line key value
  [[ -f $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || continue
    key=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    case $key in
      DATABASE_URL | APP_ENV | BACKUP_*) ;;
      *) continue ;;
    esac
    [[ -v $key ]] && continue
    if [[ $value =~ ^\"(.*)\"[[:space:]]*(#.*)?$ ]]; then
      value=${BASH_REMATCH[1]}
      value=${value//\\\"/\"}
    elif [[ $value =~ ^\'(.*)\'[[:space:]]*(#.*)?$ ]]; then
      value=${BASH_REMATCH[1]}
    else
      value=${value%%[[:space:]]#*}
      value=${value%"${value##*[![:space:]]}"}
    fi
    printf -v "$key" '%s' "$value"
    export "${key?}"
  done <"$file"
}

# Absolute form of a path given relative to the project root.
project_path() {
  if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s\n' "$PROJECT_ROOT/${1#./}"; fi
}

load_config() {
  load_dotenv
  DATABASE_URL=${DATABASE_URL:-sqlite:///data/app.db}
  APP_ENV=${APP_ENV:-development}
  BACKUP_DIR=$(project_path "${BACKUP_DIR:-./backups}")
  BACKUP_AGE_RECIPIENT=${BACKUP_AGE_RECIPIENT:-}
  BACKUP_AGE_IDENTITY=${BACKUP_AGE_IDENTITY:-}
  if [[ -n $BACKUP_AGE_IDENTITY ]]; then BACKUP_AGE_IDENTITY=$(project_path "$BACKUP_AGE_IDENTITY"); fi
  BACKUP_PG_MAINTENANCE_DB=${BACKUP_PG_MAINTENANCE_DB:-postgres}
}

url_decode() {
  local s=${1//+/ }
  s=${s//\\/\\\\}
  printf '%b' "${s//%/\\x}"
}

# Sets DB_ENGINE (sqlite|postgresql) and DB_NAME, plus SQLITE_PATH for SQLite or the libpq
# PG* variables for PostgreSQL (the password goes to PGPASSWORD, never onto a command line).
parse_database_url() {
  local url=$DATABASE_URL rest userinfo hostport query path pair key value
  case $url in
    sqlite:///*)
      DB_ENGINE=sqlite
      path=${url#sqlite:///}
      path=${path%%\?*}
      [[ -n $path && $path != :memory: ]] || die "DATABASE_URL=$url names no database file"
      SQLITE_PATH=$(project_path "$path")
      DB_NAME=${SQLITE_PATH##*/}
      DB_NAME=${DB_NAME%.*}
      ;;
    postgres://* | postgresql://* | postgresql+*://*)
      DB_ENGINE=postgresql
      rest=${url#*://}
      userinfo=""
      if [[ $rest == *@* ]]; then
        # The last "@" ends the credentials, so a password may itself contain "@", "/" or "?".
        userinfo=${rest%@*}
        rest=${rest##*@}
      fi
      query=""
      if [[ $rest == *\?* ]]; then
        query=${rest#*\?}
        rest=${rest%%\?*}
      fi
      hostport=${rest%%/*}
      DB_NAME=""
      [[ $rest == */* ]] && DB_NAME=$(url_decode "${rest#*/}")
      [[ -n $DB_NAME ]] || die "DATABASE_URL names no database (expected postgresql://user:password@host:5432/dbname)"
      if [[ -n $userinfo ]]; then
        export PGUSER
        PGUSER=$(url_decode "${userinfo%%:*}")
        if [[ $userinfo == *:* ]]; then
          export PGPASSWORD
          PGPASSWORD=$(url_decode "${userinfo#*:}")
        fi
      fi
      if [[ $hostport == \[* ]]; then
        export PGHOST=${hostport%%]*}
        PGHOST=${PGHOST#[}
        hostport=${hostport#*]}
        [[ $hostport == :* ]] && export PGPORT=${hostport#:}
      elif [[ -n $hostport ]]; then
        export PGHOST=${hostport%%:*}
        [[ $hostport == *:* ]] && export PGPORT=${hostport#*:}
      fi
      if [[ -n $query ]]; then
        local -a pairs
        IFS='&' read -r -a pairs <<<"$query"
        for pair in "${pairs[@]}"; do
          key=${pair%%=*}
          value=$(url_decode "${pair#*=}")
          case $key in
            sslmode) export PGSSLMODE=$value ;;
            sslrootcert) export PGSSLROOTCERT=$value ;;
            sslcert) export PGSSLCERT=$value ;;
            sslkey) export PGSSLKEY=$value ;;
            connect_timeout) export PGCONNECT_TIMEOUT=$value ;;
            application_name) export PGAPPNAME=$value ;;
            options) export PGOPTIONS=$value ;;
            host) export PGHOST=$value ;;
            port) export PGPORT=$value ;;
            *) warn "ignoring DATABASE_URL parameter '$key'" ;;
          esac
        done
      fi
      export PGAPPNAME=${PGAPPNAME:-ops-backup}
      [[ $DB_NAME =~ $PG_NAME_RE ]] ||
        die "database name '$DB_NAME' has characters these scripts do not handle (use letters, digits, _ or -)"
      ;;
    *) die "DATABASE_URL must start with sqlite:/// or postgresql:// (got '${url%%://*}://...')" ;;
  esac
}

require_db_tools() {
  if [[ $DB_ENGINE == sqlite ]]; then
    require_cmd sqlite3
  else
    require_cmd psql pg_dump pg_restore createdb dropdb
  fi
}

ensure_backup_dir() {
  if [[ ! -d $BACKUP_DIR ]]; then
    mkdir -p -- "$BACKUP_DIR" || die "cannot create BACKUP_DIR $BACKUP_DIR"
    chmod 700 -- "$BACKUP_DIR"
  elif [[ $(stat -c %a -- "$BACKUP_DIR") != 700 ]]; then
    chmod 700 -- "$BACKUP_DIR" 2>/dev/null || warn "could not restrict $BACKUP_DIR to mode 700"
  fi
  [[ -w $BACKUP_DIR ]] || die "BACKUP_DIR $BACKUP_DIR is not writable"
}

# ---------------------------------------------------------------------------------------------
# Time: backup names carry UTC stamps like 20250131T020000Z; arithmetic stays in bash so that
# listing hundreds of backups does not fork date(1) for each.

utc_stamp() { date -u +%Y%m%dT%H%M%SZ; }

# days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm)
days_from_civil() {
  local y=$((10#$1)) m=$((10#$2)) d=$((10#$3)) era yoe doy
  y=$((m <= 2 ? y - 1 : y))
  era=$(((y >= 0 ? y : y - 399) / 400))
  yoe=$((y - era * 400))
  doy=$(((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1))
  REPLY=$((era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468))
}

year_from_days() {
  local z=$(($1 + 719468)) era doe yoe doy mp
  era=$(((z >= 0 ? z : z - 146096) / 146097))
  doe=$((z - era * 146097))
  yoe=$(((doe - doe / 1460 + doe / 36524 - doe / 146096) / 365))
  doy=$((doe - (365 * yoe + yoe / 4 - yoe / 100)))
  mp=$(((5 * doy + 2) / 153))
  REPLY=$((yoe + era * 400 + (mp >= 10 ? 1 : 0)))
}

stamp_to_epoch() {
  local s=$1
  days_from_civil "${s:0:4}" "${s:4:2}" "${s:6:2}"
  REPLY=$((REPLY * 86400 + 10#${s:9:2} * 3600 + 10#${s:11:2} * 60 + 10#${s:13:2}))
}

stamp_to_iso() {
  local s=$1
  printf '%s-%s-%sT%s:%s:%sZ\n' "${s:0:4}" "${s:4:2}" "${s:6:2}" "${s:9:2}" "${s:11:2}" "${s:13:2}"
}

# ISO 8601 week of a stamp as YYYY-Www (the week's Thursday decides its year).
stamp_iso_week() {
  local s=$1 days weekday thursday year
  days_from_civil "${s:0:4}" "${s:4:2}" "${s:6:2}"
  days=$REPLY
  weekday=$((((days + 3) % 7 + 7) % 7 + 1)) # 1970-01-01 was a Thursday; Monday is 1
  thursday=$((days - weekday + 4))
  year_from_days "$thursday"
  year=$REPLY
  days_from_civil "$year" 1 1
  printf -v REPLY '%04d-W%02d' "$year" $(((thursday - REPLY) / 7 + 1))
}

# "90s", "15m", "26h", "7d" -> seconds
duration_to_seconds() {
  [[ $1 =~ ^([0-9]+)([smhd])$ ]] || return 1
  local n=$((10#${BASH_REMATCH[1]}))
  case ${BASH_REMATCH[2]} in
    s) REPLY=$n ;;
    m) REPLY=$((n * 60)) ;;
    h) REPLY=$((n * 3600)) ;;
    d) REPLY=$((n * 86400)) ;;
  esac
}

human_duration() {
  local s=$1
  if ((s < 0)); then
    REPLY="in future"
  elif ((s < 60)); then
    REPLY="${s}s"
  elif ((s < 3600)); then
    REPLY="$((s / 60))m"
  elif ((s < 86400)); then
    REPLY="$((s / 3600))h$((s % 3600 / 60))m"
  else
    REPLY="$((s / 86400))d$((s % 86400 / 3600))h"
  fi
}

# ---------------------------------------------------------------------------------------------
# Backup files

# Sets BK_STAMP, BK_ENGINE (sqlite|postgresql) and BK_ENCRYPTED (0|1) from a name.
parse_backup_name() {
  local name=${1##*/}
  [[ $name =~ $NAME_RE ]] || return 1
  BK_STAMP=${BASH_REMATCH[2]}
  if [[ ${BASH_REMATCH[3]} == sqlite3 ]]; then BK_ENGINE=sqlite; else BK_ENGINE=postgresql; fi
  if [[ -n ${BASH_REMATCH[4]} ]]; then BK_ENCRYPTED=1; else BK_ENCRYPTED=0; fi
}

# Prints the backup file names in BACKUP_DIR, newest first.
list_backup_names() {
  local path name
  [[ -d $BACKUP_DIR ]] || return 0
  for path in "$BACKUP_DIR"/*; do
    name=${path##*/}
    if [[ -f $path ]] && parse_backup_name "$name"; then printf '%s\t%s\n' "$BK_STAMP" "$name"; fi
  done | LC_ALL=C sort -r | cut -f2-
}

sha256_of() {
  local sum
  sum=$(sha256sum -- "$1") || die "cannot read $1"
  printf '%s\n' "${sum%% *}"
}

# ok | BAD | missing, for a backup file and its .sha256 sidecar.
checksum_status() {
  local file=$1 expected
  [[ -f $file.sha256 ]] || { REPLY=missing; return 0; }
  read -r expected _ <"$file.sha256" || true
  if [[ $expected =~ ^[0-9a-f]{64}$ && $(sha256_of "$file") == "$expected" ]]; then REPLY=ok; else REPLY=BAD; fi
}

# Resolves a backup argument: a path, or a bare name inside BACKUP_DIR.
resolve_backup_file() {
  local arg=$1
  if [[ -f $arg ]]; then
    printf '%s\n' "$(cd -- "$(dirname -- "$arg")" && pwd -P)/${arg##*/}"
  elif [[ $arg != */* && -f $BACKUP_DIR/$arg ]]; then
    printf '%s\n' "$BACKUP_DIR/$arg"
  else
    die "backup file not found: $arg"
  fi
}

fsync_path() { sync -- "$@" || die "fsync failed for $*"; }

# JSON string literal (the manifest is written by hand to need neither jq nor python).
json_str() {
  local s=$1 out="" c i
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  if [[ $s == *[[:cntrl:]]* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c=${s:i:1}
      if [[ $c == [[:cntrl:]] ]]; then printf -v c '\\u%04x' "'$c"; fi
      out+=$c
    done
    s=$out
  fi
  printf '"%s"' "$s"
}

# Verifies FILE against its .sha256 sidecar and the sha256 recorded in MANIFEST_SHA256.
verify_checksum() {
  local file=$1 expected actual
  [[ -f $file.sha256 ]] || die "checksum file $file.sha256 is missing; refusing to use an unverifiable backup"
  read -r expected _ <"$file.sha256" || true
  [[ $expected =~ ^[0-9a-f]{64}$ ]] || die "checksum file $file.sha256 is malformed"
  [[ $expected == "$MANIFEST_SHA256" ]] || die "checksum mismatch: $file.sha256 and ${file##*/}.json disagree"
  actual=$(sha256_of "$file")
  [[ $actual == "$expected" ]] ||
    die "checksum mismatch for ${file##*/}: expected $expected, got $actual; the file is corrupt or was modified"
}

# Sets PLAIN_FILE: FILE itself, or its decryption in the private directory WORK_DIR.
decrypt_if_needed() {
  local file=$1 err
  parse_backup_name "$file" || die "not a backup file name: ${file##*/}"
  if ((BK_ENCRYPTED == 0)); then
    PLAIN_FILE=$file
    return 0
  fi
  require_cmd age
  [[ -n $BACKUP_AGE_IDENTITY ]] || die "${file##*/} is encrypted; set BACKUP_AGE_IDENTITY to the age identity file that decrypts it"
  [[ -r $BACKUP_AGE_IDENTITY ]] || die "BACKUP_AGE_IDENTITY $BACKUP_AGE_IDENTITY is not a readable file"
  PLAIN_FILE=$WORK_DIR/${file##*/}
  PLAIN_FILE=${PLAIN_FILE%.age}
  if ! err=$(age --decrypt -i "$BACKUP_AGE_IDENTITY" -o "$PLAIN_FILE" -- "$file" 2>&1); then
    die "cannot decrypt ${file##*/} with identity $BACKUP_AGE_IDENTITY: ${err#age: }"
  fi
}

# Sets WORK_DIR: a private directory inside $1, removed on exit.
make_work_dir() {
  WORK_DIR=$(mktemp -d "$1/.ops-backup.XXXXXX") || die "cannot create a temporary directory in $1"
  cleanup_add path "$WORK_DIR"
}

# The state that a restored copy must reproduce, as sorted lines:
#   rows<TAB><table><TAB><count>   and   migration<TAB><table><TAB><head>
compare_state() {
  local expected=$1 actual=$2 what=$3
  if [[ $expected != "$actual" ]]; then
    {
      printf '%s: error: %s does not match its manifest\n' "$SCRIPT_NAME" "$what"
      printf '  manifest: %s\n' "${expected//$'\n'/$'\n'            }"
      printf '  restored: %s\n' "${actual//$'\n'/$'\n'            }"
    } >&2
    exit 1
  fi
}

# Migration bookkeeping tables of the supported frameworks (Node, Django, Flask/Alembic).
MIGRATION_TABLES=(schema_migrations django_migrations alembic_version)

# SQL returning the latest applied migration of TABLE, given its column names.
migration_head_sql() {
  local engine=$1 table=$2
  shift 2
  local cols=" $* " value order
  case $table in
    django_migrations)
      printf '%s' "SELECT app || '.' || name FROM django_migrations ORDER BY id DESC LIMIT 1"
      return
      ;;
    alembic_version) # one row per head; several only with unmerged branches
      if [[ $engine == sqlite ]]; then
        printf '%s' "SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY 1)"
      else
        printf '%s' "SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version"
      fi
      return
      ;;
  esac
  if [[ $cols == *" version "* ]]; then value=version; elif [[ $cols == *" name "* ]]; then value=name; else value=$1; fi
  if [[ $cols == *" id "* ]]; then
    order='"id" DESC'
  elif [[ $cols == *" applied_at "* ]]; then
    order="\"applied_at\" DESC, $(sql_ident "$value") DESC"
  else
    order="$(sql_ident "$value") DESC"
  fi
  printf 'SELECT CAST(%s AS TEXT) FROM %s ORDER BY %s LIMIT 1' "$(sql_ident "$value")" "$(sql_ident "$table")" "$order"
}

sql_ident() { printf '"%s"' "${1//\"/\"\"}"; }
sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

# ---------------------------------------------------------------------------------------------
# SQLite

sqlite_q() {
  local db=$1
  shift
  sqlite3 -batch -bail -noheader -separator $'\t' -cmd '.timeout 30000' "$db" "$@"
}

sqlite_integrity_check() {
  local db=$1 result
  result=$(sqlite_q "$db" 'PRAGMA integrity_check;' 2>&1) || die "integrity check of $2 failed: $result"
  [[ $result == ok ]] || die "integrity check of $2 failed: ${result:0:500}"
}

# rows/migration lines (see compare_state) for a SQLite file.
sqlite_state() {
  local db=$1 union table cols sql head
  union=$(sqlite_q "$db" "SELECT group_concat(printf('SELECT ''rows'' || char(9) || %Q || char(9) || count(*) FROM \"%w\"', name, name), ' UNION ALL ') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\';") ||
    die "cannot read the table list of $db"
  {
    if [[ -n $union ]]; then sqlite_q "$db" "$union;" || die "cannot count rows in $db"; fi
    for table in "${MIGRATION_TABLES[@]}"; do
      cols=$(sqlite_q "$db" "SELECT name FROM pragma_table_info($(sql_literal "$table"));") || die "cannot inspect $db"
      [[ -n $cols ]] || continue
      # shellcheck disable=SC2086 # one word per column name
      sql=$(migration_head_sql sqlite "$table" $cols)
      head=$(sqlite_q "$db" "$sql;")
      printf 'migration\t%s\t%s\n' "$table" "$head"
      break
    done
  } | LC_ALL=C sort
}

# rows/migration lines recorded in a manifest, read with SQLite's JSON functions.
sqlite_manifest_state() {
  local m
  m="CAST(readfile($(sql_literal "$1")) AS TEXT)"
  sqlite_q :memory: "SELECT 'rows' || char(9) || key || char(9) || value FROM json_each($m, '\$.row_counts')
    UNION ALL SELECT 'migration' || char(9) || json_extract($m, '\$.migrations.table') || char(9) || coalesce(json_extract($m, '\$.migrations.head'), '')
    WHERE json_type($m, '\$.migrations') = 'object';" | LC_ALL=C sort
}

sqlite_manifest_field() {
  sqlite_q :memory: "SELECT json_extract(CAST(readfile($(sql_literal "$1")) AS TEXT), $(sql_literal "\$.$2"));"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL. Every psql call stops at the first error: a half-applied script is worse than none.

pg_psql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
pg_psql_maint() { pg_psql -d "$BACKUP_PG_MAINTENANCE_DB" "$@"; }

pg_database_exists() {
  local found
  found=$(pg_psql_maint -c "SELECT 1 FROM pg_database WHERE datname = $(sql_literal "$1")") ||
    die "cannot connect to PostgreSQL (maintenance database $BACKUP_PG_MAINTENANCE_DB)"
  [[ $found == 1 ]]
}

pg_drop_database() { dropdb --if-exists --maintenance-db="$BACKUP_PG_MAINTENANCE_DB" -- "$1"; }

# psql script printing one "rows" line per user table (run with \gexec-capable psql).
pg_count_sql() {
  cat <<'SQL'
SELECT format('SELECT %L || E''\t'' || %L || E''\t'' || count(*) FROM %I.%I;', 'rows',
              CASE WHEN schemaname = 'public' THEN tablename ELSE schemaname || '.' || tablename END,
              schemaname, tablename)
FROM pg_catalog.pg_tables
WHERE schemaname <> 'information_schema' AND schemaname !~ '^pg_'
ORDER BY 1
\gexec
SQL
}

# Prints the psql statement giving "migration<TAB>table<TAB>head" for database DB, or nothing.
pg_migration_sql() {
  local db=$1 table cols sql
  for table in "${MIGRATION_TABLES[@]}"; do
    cols=$(pg_psql -d "$db" -c "SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $(sql_literal "$table") ORDER BY ordinal_position") ||
      die "cannot inspect database $db"
    [[ -n $cols ]] || continue
    # shellcheck disable=SC2086 # one word per column name
    sql=$(migration_head_sql postgresql "$table" $cols)
    printf "SELECT 'migration' || E'\\\\t' || %s || E'\\\\t' || coalesce((%s), '');\n" "$(sql_literal "$table")" "$sql"
    return 0
  done
  return 0
}

pg_state() {
  local db=$1 sql
  sql="$(pg_count_sql)"$'\n'"$(pg_migration_sql "$db")"
  pg_psql -d "$db" <<<"$sql" | LC_ALL=C sort
}

# Reads a manifest with PostgreSQL's JSON functions (via psql variables, so no quoting problems).
pg_manifest_query() {
  local file=$1 sql=$2
  pg_psql_maint -v "m=$(<"$file")" <<<"$sql"
}

pg_manifest_state() {
  pg_manifest_query "$1" "SELECT 'rows' || E'\\t' || key || E'\\t' || value FROM json_each_text(:'m'::json -> 'row_counts')
    UNION ALL SELECT 'migration' || E'\\t' || (:'m'::json #>> '{migrations,table}') || E'\\t' || coalesce(:'m'::json #>> '{migrations,head}', '')
    WHERE json_typeof(:'m'::json -> 'migrations') = 'object';" | LC_ALL=C sort
}

pg_manifest_field() {
  pg_manifest_query "$1" "SELECT :'m'::json ->> $(sql_literal "$2");"
}

# Creates database NAME (registered for cleanup) and restores a custom-format archive into it.
pg_restore_scratch() {
  local archive=$1 name=$2 like=${3:-} opts=() enc collate ctype
  if [[ -n $like ]] && pg_database_exists "$like"; then
    # Match the live database's encoding and collation so sorting and indexes behave the same.
    IFS=$'\t' read -r enc collate ctype < <(pg_psql_maint -F $'\t' -c "SELECT pg_encoding_to_char(encoding), datcollate, datctype
      FROM pg_database WHERE datname = $(sql_literal "$like")") || die "cannot read the settings of database $like"
    opts=(--encoding="$enc" --lc-collate="$collate" --lc-ctype="$ctype")
  fi
  cleanup_add pgdb "$name"
  createdb --maintenance-db="$BACKUP_PG_MAINTENANCE_DB" --template=template0 "${opts[@]}" -- "$name" ||
    die "cannot create scratch database $name (the database user needs the CREATEDB privilege)"
  pg_restore --exit-on-error --single-transaction --no-owner --no-privileges -d "$name" -- "$archive" ||
    die "pg_restore of ${archive##*/} into scratch database $name failed; the archive is damaged or incompatible"
}

# ---------------------------------------------------------------------------------------------
# Checking a backup: sets MANIFEST, MANIFEST_SHA256 and PLAIN_FILE; then the scratch functions
# restore it somewhere harmless and compare with the manifest.

load_manifest() {
  local file=$1 engine counts_type
  MANIFEST=$file.json
  [[ -f $MANIFEST ]] || die "manifest ${MANIFEST##*/} is missing; cannot check the restored data"
  parse_backup_name "$file" || die "not a backup file name: ${file##*/}"
  if [[ $BK_ENGINE == sqlite ]]; then
    require_cmd sqlite3
    engine=$(sqlite_manifest_field "$MANIFEST" engine) || die "cannot read manifest ${MANIFEST##*/}; is it valid JSON?"
    MANIFEST_SHA256=$(sqlite_manifest_field "$MANIFEST" sha256)
    counts_type=$(sqlite_q :memory: "SELECT json_type(CAST(readfile($(sql_literal "$MANIFEST")) AS TEXT), '\$.row_counts');")
    MANIFEST_STATE=$(sqlite_manifest_state "$MANIFEST")
  else
    engine=$(pg_manifest_field "$MANIFEST" engine) || die "cannot read manifest ${MANIFEST##*/}; is it valid JSON?"
    MANIFEST_SHA256=$(pg_manifest_field "$MANIFEST" sha256)
    counts_type=$(pg_manifest_query "$MANIFEST" "SELECT json_typeof(:'m'::json -> 'row_counts');")
    MANIFEST_STATE=$(pg_manifest_state "$MANIFEST")
  fi
  [[ $engine == "$BK_ENGINE" ]] || die "manifest ${MANIFEST##*/} says engine '$engine' but the file name says $BK_ENGINE"
  [[ $counts_type == object ]] || die "manifest ${MANIFEST##*/} has no row_counts object"
}

# Copy of a plain SQLite backup at DEST, checked for integrity and against the manifest.
sqlite_check_copy() {
  local dest=$1 state
  sqlite_integrity_check "$dest" "the restored copy"
  state=$(sqlite_state "$dest")
  compare_state "$MANIFEST_STATE" "$state" "the restored copy"
}

pg_check_scratch() {
  local name=$1 state
  state=$(pg_state "$name")
  compare_state "$MANIFEST_STATE" "$state" "scratch database $name"
}
