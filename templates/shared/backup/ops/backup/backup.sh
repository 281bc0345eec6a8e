#!/usr/bin/env bash
# Takes a consistent backup of the database in DATABASE_URL and stores it in BACKUP_DIR.
set -Eeuo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'EOF'
Usage: ops/backup/backup.sh [--help]

Backs up the database in DATABASE_URL into BACKUP_DIR and prints the backup's path.

  SQLite      VACUUM INTO a new file (a consistent snapshot, safe while the app writes),
              then PRAGMA integrity_check on the copy.
  PostgreSQL  pg_dump --format=custom --no-owner --no-privileges, with row counts taken
              in the same snapshot as the dump.

Each backup <name>-<UTC time>.<sqlite3|dump>[.age] gets a .sha256 checksum and a .json
manifest (engine, versions, size, row counts per table, latest migration). With
BACKUP_AGE_RECIPIENT set, the backup is encrypted with age and the checksum covers the
encrypted file.

Environment (also read from the project's .env; real environment variables win):
  DATABASE_URL          sqlite:///data/app.db (default), sqlite:////abs/path.db,
                        postgresql://user:password@host:5432/dbname
  BACKUP_DIR            where backups go (default ./backups, relative to the project root)
  BACKUP_AGE_RECIPIENT  age recipient(s) (age1... or ssh public keys), comma-separated;
                        empty: no encryption
EOF
}

case ${1-} in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) usage_error "unexpected argument '$1'" ;;
esac

load_config
parse_database_url
require_db_tools
require_cmd sha256sum
recipients=()
if [[ -n $BACKUP_AGE_RECIPIENT ]]; then
  require_cmd age
  IFS=, read -r -a keys <<<"$BACKUP_AGE_RECIPIENT"
  for key in "${keys[@]}"; do
    key=${key#"${key%%[![:space:]]*}"}
    key=${key%"${key##*[![:space:]]}"}
    [[ -z $key ]] || recipients+=(-r "$key")
  done
fi
ensure_backup_dir

stamp=$(utc_stamp)
if [[ $DB_ENGINE == sqlite ]]; then ext=sqlite3; format=sqlite3; else ext=dump; format=pg_dump-custom; fi
name="${DB_NAME//[^A-Za-z0-9._-]/_}-$stamp.$ext"
((${#recipients[@]} == 0)) || name+=.age
final=$BACKUP_DIR/$name
partial=$final.partial
[[ ! -e $final ]] || die "$final already exists; wait a second and run again"

make_work_dir "$BACKUP_DIR"
cleanup_add path "$partial"
cleanup_add path "$final.sha256.partial"
cleanup_add path "$final.json.partial"
# Unencrypted backups are written straight to the .partial name; encrypted ones go through
# a plain copy in the private work directory first.
if ((${#recipients[@]} == 0)); then plain=$partial; else plain=$WORK_DIR/plain.$ext; fi

backup_sqlite() {
  [[ -f $SQLITE_PATH ]] || die "SQLite database $SQLITE_PATH does not exist"
  # VACUUM INTO copies inside one read transaction: a consistent snapshot even while the
  # app writes, without the restarts the page-by-page backup API makes under steady writes.
  sqlite_q "$SQLITE_PATH" "VACUUM INTO $(sql_literal "$plain");" || die "VACUUM INTO from $SQLITE_PATH failed"
  sqlite_integrity_check "$plain" "the backup copy"
  state=$(sqlite_state "$plain")
  server_version=$(sqlite_q :memory: 'SELECT sqlite_version();')
  client_version=$(sqlite3 -version)
  client_version="sqlite3 ${client_version%% *}"
}

backup_postgresql() {
  local snapshot line fd
  server_version=$(pg_psql -d "$DB_NAME" -c 'SHOW server_version') || die "cannot connect to database $DB_NAME"
  client_version=$(pg_dump --version)
  # One read-only REPEATABLE READ transaction stays open while pg_dump runs from its exported
  # snapshot, so the row counts in the manifest describe exactly the data in the dump.
  coproc SNAPSHOT { pg_psql -d "$DB_NAME" 2>&1; }
  printf '%s\n' 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;' 'SELECT pg_export_snapshot();' >&"${SNAPSHOT[1]}"
  IFS= read -r snapshot <&"${SNAPSHOT[0]}" || snapshot=""
  [[ $snapshot =~ ^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$ ]] || die "cannot open a snapshot of $DB_NAME: $snapshot"
  {
    pg_count_sql
    pg_migration_sql "$DB_NAME"
    echo "SELECT 'end-of-state';"
  } >&"${SNAPSHOT[1]}"
  state=""
  line=""
  while IFS= read -r line <&"${SNAPSHOT[0]}"; do
    [[ $line == end-of-state ]] && break
    [[ $line == rows$'\t'* || $line == migration$'\t'* ]] || die "counting rows in $DB_NAME failed: $line"
    state+=$line$'\n'
  done
  [[ $line == end-of-state ]] || die "counting rows in $DB_NAME failed"
  state=$(LC_ALL=C sort <<<"${state%$'\n'}")
  pg_dump --snapshot="$snapshot" --format=custom --no-owner --no-privileges --file="$plain" -d "$DB_NAME" ||
    die "pg_dump of $DB_NAME failed"
  printf 'COMMIT;\n' >&"${SNAPSHOT[1]}"
  fd=${SNAPSHOT[1]}
  exec {fd}>&-
  wait "$SNAPSHOT_PID" || die "the snapshot session of $DB_NAME ended with an error"
  pg_restore --list -- "$plain" >/dev/null || die "pg_dump wrote an archive that pg_restore cannot read"
}

"backup_$DB_ENGINE"

if ((${#recipients[@]} > 0)); then
  age --encrypt "${recipients[@]}" -o "$partial" -- "$plain" || die "age encryption failed (check BACKUP_AGE_RECIPIENT)"
  rm -f -- "$plain"
fi
fsync_path "$partial"
sha256=$(sha256_of "$partial")
size=$(stat -c %s -- "$partial")

# Manifest: what was backed up, and what a restore of it must reproduce.
rows_json=""
migrations_json=null
while IFS=$'\t' read -r kind table value; do
  case $kind in
    rows) rows_json+="${rows_json:+,}"$'\n'"    $(json_str "$table"): $value" ;;
    migration)
      head_json=null
      [[ -z $value ]] || head_json=$(json_str "$value")
      migrations_json="{ \"table\": $(json_str "$table"), \"head\": $head_json }"
      ;;
  esac
done <<<"$state"
if ((${#recipients[@]} > 0)); then encryption='"age"'; else encryption=null; fi

cat >"$final.json.partial" <<EOF
{
  "format_version": 1,
  "file": $(json_str "$name"),
  "engine": "$DB_ENGINE",
  "format": "$format",
  "encryption": $encryption,
  "database": $(json_str "$DB_NAME"),
  "created_at": "$(stamp_to_iso "$stamp")",
  "server_version": $(json_str "$server_version"),
  "client_version": $(json_str "$client_version"),
  "size": $size,
  "sha256": "$sha256",
  "row_counts": {${rows_json}
  },
  "migrations": $migrations_json
}
EOF
printf '%s  %s\n' "$sha256" "$name" >"$final.sha256.partial"
fsync_path "$final.json.partial" "$final.sha256.partial"

# The backup file appears last: whoever sees it also finds its checksum and manifest.
[[ ! -e $final ]] || die "$final appeared while the backup ran; nothing was overwritten"
mv -f -- "$final.json.partial" "$final.json"
mv -f -- "$final.sha256.partial" "$final.sha256"
mv -n -- "$partial" "$final"
[[ ! -e $partial ]] || die "$final appeared while the backup ran; nothing was overwritten"
fsync_path "$BACKUP_DIR"
printf '%s\n' "$final"
