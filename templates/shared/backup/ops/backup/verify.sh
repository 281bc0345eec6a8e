#!/usr/bin/env bash
# Proves that a backup restores: restores it into a throwaway target and checks it.
set -Eeuo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'EOF'
Usage: ops/backup/verify.sh [backup-file]

Checks the newest backup in BACKUP_DIR (or the given one, a path or a name in BACKUP_DIR):
its sha256 against the .sha256 file and the manifest, then a full restore into a
throwaway target (SQLite: a temporary copy; PostgreSQL: a scratch database
<db>_verify_<time>, created next to the database in DATABASE_URL and dropped afterwards),
which must pass the integrity check and reproduce the manifest's row count for every table
and its latest migration. Encrypted backups need BACKUP_AGE_IDENTITY.

Exits 0 when the backup is good, non-zero on any problem. The live database is never touched.
EOF
}

file=""
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown option '$1'" ;;
    *)
      [[ -z $file ]] || usage_error "give at most one backup file"
      file=$1
      ;;
  esac
  shift
done

load_config
require_cmd sha256sum
if [[ -z $file ]]; then
  IFS= read -r file < <(list_backup_names) || true
  [[ -n $file ]] || die "no backups in $BACKUP_DIR"
fi
backup=$(resolve_backup_file "$file")
parse_backup_name "$backup" || die "${backup##*/} is not named like a backup (<name>-<YYYYmmddTHHMMSSZ>.<sqlite3|dump>[.age])"
engine=$BK_ENGINE
if [[ $engine == postgresql ]]; then
  parse_database_url
  [[ $DB_ENGINE == postgresql ]] ||
    die "verifying a PostgreSQL backup needs a PostgreSQL server for its scratch database: set DATABASE_URL to one"
  require_db_tools
else
  require_cmd sqlite3
fi

load_manifest "$backup"
verify_checksum "$backup"
make_work_dir "${TMPDIR:-/tmp}"
decrypt_if_needed "$backup"

if [[ $engine == sqlite ]]; then
  copy=$WORK_DIR/verify.sqlite3
  cp -- "$PLAIN_FILE" "$copy" || die "cannot copy the backup to $copy"
  sqlite_check_copy "$copy"
else
  scratch=${DB_NAME:0:30}_verify_$(date -u +%Y%m%d%H%M%S)_$$
  pg_restore_scratch "$PLAIN_FILE" "$scratch"
  pg_check_scratch "$scratch"
fi

tables=0 rows=0
while IFS=$'\t' read -r kind _ count; do
  if [[ $kind == rows ]]; then
    tables=$((tables + 1))
    rows=$((rows + count))
  fi
done <<<"$MANIFEST_STATE"
echo "ok: ${backup##*/} restores cleanly and matches its manifest ($tables tables, $rows rows)"
