#!/usr/bin/env bash
# Replaces the live database with a backup, once the backup has proved it restores cleanly.
set -Eeuo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'EOF'
Usage: ops/backup/restore.sh <backup-file> --yes [--allow-production] [--drop-old]

Restores <backup-file> (a path, or a name inside BACKUP_DIR; see list.sh) into the
database in DATABASE_URL. Stop the application first.

  1. checks the backup's sha256 against its .sha256 file and manifest;
  2. decrypts it (.age files) with BACKUP_AGE_IDENTITY into a private temporary directory;
  3. restores it into a scratch target and checks it: SQLite, a copy next to the live file
     that must pass PRAGMA integrity_check; PostgreSQL, a database <db>_restore_<time>
     filled by pg_restore --exit-on-error --single-transaction --no-owner; in both cases
     the row count of every table and the latest migration must equal the manifest's;
  4. only then swaps it in: SQLite, the live file is copied to <file>.pre-restore-<time>
     and the checked copy is renamed over it (an atomic rename); PostgreSQL, connections
     to the live database are closed and, in one transaction, <db> is renamed to
     <db>_pre_restore_<time> and the scratch database to <db>.
Any failure before step 4 leaves the live database untouched and removes the scratch target.

Options:
  --yes               required: confirms that the live database is to be replaced
  --allow-production  required when APP_ENV=production (or BACKUP_ALLOW_PRODUCTION_RESTORE=true)
  --drop-old          delete the previous database instead of keeping it
  -h, --help          show this help
EOF
}

file="" yes=0 allow_production=0 drop_old=0
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    -y | --yes) yes=1 ;;
    --allow-production) allow_production=1 ;;
    --drop-old) drop_old=1 ;;
    -*) usage_error "unknown option '$1'" ;;
    *)
      [[ -z $file ]] || usage_error "give exactly one backup file"
      file=$1
      ;;
  esac
  shift
done
[[ -n $file ]] || usage_error "which backup? give a backup file (list.sh shows them)"

load_config
parse_database_url
if [[ $DB_ENGINE == sqlite ]]; then target="SQLite database $SQLITE_PATH"; else target="PostgreSQL database $DB_NAME on ${PGHOST:-the local server}"; fi

# Refusals come before anything touches a file or a server.
((yes == 1)) || die "refusing to restore without --yes: this replaces the $target with the backup; nothing was changed"
if [[ $APP_ENV == production && $allow_production == 0 && ${BACKUP_ALLOW_PRODUCTION_RESTORE:-false} != true ]]; then
  die "refusing to restore in production (APP_ENV=production); add --allow-production (or set BACKUP_ALLOW_PRODUCTION_RESTORE=true) if you mean it; nothing was changed"
fi

require_db_tools
require_cmd sha256sum
backup=$(resolve_backup_file "$file")
parse_backup_name "$backup" || die "${backup##*/} is not named like a backup (<name>-<YYYYmmddTHHMMSSZ>.<sqlite3|dump>[.age])"
[[ $BK_ENGINE == "$DB_ENGINE" ]] || die "${backup##*/} is a $BK_ENGINE backup but DATABASE_URL points at $DB_ENGINE"

FAIL_HINT="the live database was not changed"
load_manifest "$backup"
verify_checksum "$backup"
make_work_dir "${TMPDIR:-/tmp}"
decrypt_if_needed "$backup"
stamp=$(utc_stamp)

restore_sqlite() {
  local live=$SQLITE_PATH dir scratch kept="" mode suffix
  dir=$(dirname -- "$live")
  [[ -d $dir ]] || die "directory $dir of the SQLite database does not exist"
  scratch=$live.restore-$stamp
  for suffix in "" -journal -wal -shm; do cleanup_add path "$scratch$suffix"; done
  cp -- "$PLAIN_FILE" "$scratch" || die "cannot write $scratch"
  sqlite_check_copy "$scratch"

  if [[ -f $live ]]; then
    mode=$(sqlite_q "$live" 'PRAGMA journal_mode;' 2>/dev/null) || mode=""
    if [[ $mode == wal ]]; then
      sqlite_q "$scratch" 'PRAGMA journal_mode=WAL;' >/dev/null || die "cannot switch $scratch to WAL mode"
      # Fold the live WAL into the main file so that the copy kept below is complete.
      sqlite_q "$live" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null || warn "could not checkpoint $live; its -wal file is kept too"
    fi
    chmod --reference="$live" -- "$scratch"
    if ((EUID == 0)); then chown --reference="$live" -- "$scratch"; fi
    kept=$live.pre-restore-$stamp
    cp -p -- "$live" "$kept" || die "cannot keep a copy of $live as $kept"
    for suffix in -wal -journal; do
      if [[ -s $live$suffix ]]; then cp -p -- "$live$suffix" "$kept$suffix" || die "cannot keep a copy of $live$suffix"; fi
    done
  fi
  fsync_path "$scratch"

  mv -f -- "$scratch" "$live" || die "cannot rename $scratch over $live"
  FAIL_HINT="the backup was restored, but cleaning up after it failed"
  # The -wal/-shm/-journal files belonged to the replaced file; SQLite must not apply them to the new one.
  rm -f -- "$live-wal" "$live-shm" "$live-journal"
  fsync_path "$dir"

  echo "restored ${backup##*/} into $live"
  if [[ -z $kept ]]; then
    echo "there was no previous database file"
  elif ((drop_old == 1)); then
    rm -f -- "$kept" "$kept-wal" "$kept-journal"
    echo "the previous database was deleted (--drop-old)"
  else
    echo "the previous database is kept as $kept"
  fi
}

restore_postgresql() {
  local live=$DB_NAME ts=${stamp//[TZ]/} scratch old sessions=0 i
  scratch=${live}_restore_$ts
  old=${live}_pre_restore_$ts
  ((${#old} <= 63)) || die "database name '$live' is too long to add _pre_restore_$ts (PostgreSQL allows 63 bytes)"
  if pg_database_exists "$scratch"; then die "database $scratch already exists"; fi

  pg_restore_scratch "$PLAIN_FILE" "$scratch" "$live"
  pg_check_scratch "$scratch"

  if pg_database_exists "$live"; then
    # Keep new sessions out, then end the current ones: a rename needs the database idle.
    pg_psql_maint -c "ALTER DATABASE $(sql_ident "$live") WITH ALLOW_CONNECTIONS false" >/dev/null ||
      die "cannot close database $live to new connections (the database user must own it or be a superuser)"
    cleanup_add pgallow "$live"
    pg_psql_maint -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = $(sql_literal "$live") AND pid <> pg_backend_pid()" >/dev/null ||
      die "cannot end the sessions connected to $live"
    for ((i = 0; i < 50; i++)); do
      sessions=$(pg_psql_maint -c "SELECT count(*) FROM pg_stat_activity WHERE datname = $(sql_literal "$live")")
      ((sessions == 0)) && break
      sleep 0.2
    done
    ((sessions == 0)) || die "$sessions sessions are still connected to $live; stop the application and try again"
    pg_psql_maint >/dev/null <<SQL || die "could not swap $scratch in for $live"
BEGIN;
ALTER DATABASE $(sql_ident "$live") RENAME TO $(sql_ident "$old");
ALTER DATABASE $(sql_ident "$old") WITH ALLOW_CONNECTIONS true;
ALTER DATABASE $(sql_ident "$scratch") RENAME TO $(sql_ident "$live");
COMMIT;
SQL
    cleanup_remove pgallow "$live"
  else
    old=""
    pg_psql_maint -c "ALTER DATABASE $(sql_ident "$scratch") RENAME TO $(sql_ident "$live")" >/dev/null ||
      die "could not rename $scratch to $live"
  fi
  cleanup_remove pgdb "$scratch"
  FAIL_HINT="the backup was restored, but cleaning up after it failed"

  echo "restored ${backup##*/} into database $live"
  if [[ -z $old ]]; then
    echo "there was no previous database"
  elif ((drop_old == 1)); then
    pg_drop_database "$old" || die "could not drop the previous database $old"
    echo "the previous database was dropped (--drop-old)"
  else
    echo "the previous database is kept as $old (drop it with: dropdb $old)"
  fi
  echo "database-level settings and grants (ALTER DATABASE ... SET, GRANT ... ON DATABASE) stay with the previous database; re-apply any you use"
}

"restore_$DB_ENGINE"
