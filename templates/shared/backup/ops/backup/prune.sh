#!/usr/bin/env bash
# Deletes old backups according to a retention policy; a dry run unless --apply is given.
set -Eeuo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'EOF'
Usage: ops/backup/prune.sh [--keep-last N] [--keep-daily N] [--keep-weekly N]
                           [--keep-monthly N] [--apply]

Applies a retention policy to the backups in BACKUP_DIR, the way restic's "forget" does.
Going from the newest backup to the oldest (times come from the file names, in UTC):
  --keep-last N     keep the N newest backups                               (default 7)
  --keep-daily N    keep the newest backup of each of the last N days
                    that have backups                                       (default 7)
  --keep-weekly N   the same for the last N ISO weeks (Monday to Sunday)    (default 4)
  --keep-monthly N  the same for the last N calendar months                 (default 6)
A backup kept by any rule is kept. The newest backup whose checksum verifies is always
kept, whatever the options. A deleted backup takes its .sha256 and .json files with it.

Without --apply nothing is deleted: the plan is printed. Add --apply to delete.
EOF
}

keep_last=7 keep_daily=7 keep_weekly=4 keep_monthly=6 apply=0
set_count() {
  [[ $2 =~ ^[0-9]+$ ]] || usage_error "$1 needs a whole number, got '$2'"
  printf -v "$3" '%d' "$((10#$2))"
}
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --apply) apply=1 ;;
    --keep-last=* | --keep-daily=* | --keep-weekly=* | --keep-monthly=*)
      option=${1%%=*}
      var=${option#--}
      set_count "$option" "${1#*=}" "${var//-/_}"
      ;;
    --keep-last | --keep-daily | --keep-weekly | --keep-monthly)
      (($# > 1)) || usage_error "$1 needs a number"
      var=${1#--}
      set_count "$1" "$2" "${var//-/_}"
      shift
      ;;
    *) usage_error "unexpected argument '$1'" ;;
  esac
  shift
done

load_config
require_cmd sha256sum

names=()
while IFS= read -r name; do names+=("$name"); done < <(list_backup_names)
if ((${#names[@]} == 0)); then
  echo "no backups in $BACKUP_DIR"
  exit 0
fi

# reasons[i] lists the rules keeping names[i]; empty means delete. Each rule walks the
# backups newest first and keeps the first one of every new day/week/month, until its count
# is used up (restic's algorithm: the rules are independent of each other).
reasons=()
for i in "${!names[@]}"; do
  reasons[i]=""
  if ((i < keep_last)); then reasons[i]=" last"; fi
done
apply_rule() {
  local rule=$1 left=$2 previous="" i key
  for i in "${!names[@]}"; do
    ((left > 0)) || return 0
    parse_backup_name "${names[i]}"
    case $rule in
      daily) key=${BK_STAMP:0:8} ;;
      weekly)
        stamp_iso_week "$BK_STAMP"
        key=$REPLY
        ;;
      monthly) key=${BK_STAMP:0:6} ;;
    esac
    if [[ $key != "$previous" ]]; then
      reasons[i]+=" $rule"
      previous=$key
      left=$((left - 1))
    fi
  done
}
apply_rule daily "$keep_daily"
apply_rule weekly "$keep_weekly"
apply_rule monthly "$keep_monthly"

# Whatever the policy says, the newest backup that is known to be intact survives.
protected=""
for i in "${!names[@]}"; do
  checksum_status "$BACKUP_DIR/${names[i]}"
  if [[ $REPLY == ok ]]; then
    protected=${names[i]}
    reasons[i]+=" newest-verified"
    break
  fi
done
[[ -n $protected ]] || warn "no backup in $BACKUP_DIR has a valid checksum; run list.sh and fix this first"

kept=0 deleted=0
for i in "${!names[@]}"; do
  if [[ -n ${reasons[i]} ]]; then
    printf 'keep    %s  (%s)\n' "${names[i]}" "${reasons[i]# }"
    kept=$((kept + 1))
  else
    printf 'delete  %s\n' "${names[i]}"
    deleted=$((deleted + 1))
    if ((apply == 1)); then
      path=$BACKUP_DIR/${names[i]}
      rm -f -- "$path" "$path.sha256" "$path.json" || die "could not delete $path"
    fi
  fi
done

if ((apply == 1)); then
  ((deleted == 0)) || fsync_path "$BACKUP_DIR"
  echo "kept $kept backups, deleted $deleted"
else
  echo "dry run: would keep $kept backups and delete $deleted; add --apply to delete"
fi
