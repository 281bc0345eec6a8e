#!/usr/bin/env bash
# Lists the backups, newest first; with --max-age, a freshness check for monitoring.
set -Eeuo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'EOF'
Usage: ops/backup/list.sh [--max-age <age>]

Lists the backups in BACKUP_DIR, newest first, with their time (UTC, from the file name),
age, size and checksum status: ok, BAD (the file does not match its .sha256) or missing
(no .sha256 file).

  --max-age <age>  exit 1 unless the newest backup whose checksum is ok is at most <age>
                   old; <age> is a number with a unit: s, m, h or d (e.g. 26h, 2d).
                   For cron or monitoring: a failed, corrupted or missing backup shows up.
  -h, --help       show this help
EOF
}

max_age=""
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --max-age)
      (($# > 1)) || usage_error "--max-age needs a value such as 26h"
      max_age=$2
      shift
      ;;
    --max-age=*) max_age=${1#*=} ;;
    *) usage_error "unexpected argument '$1'" ;;
  esac
  shift
done
limit=""
if [[ -n $max_age ]]; then
  duration_to_seconds "$max_age" || usage_error "--max-age '$max_age' is not a number followed by s, m, h or d"
  limit=$REPLY
fi

load_config
require_cmd sha256sum

human_size() {
  local bytes=$1 units=(B KiB MiB GiB TiB) i=0 div=1
  while ((bytes >= div * 1024 && i < 4)); do ((div *= 1024, i += 1)); done
  if ((i == 0)); then
    REPLY="$bytes B"
  else
    printf -v REPLY '%d.%d %s' $((bytes / div)) $((bytes * 10 / div % 10)) "${units[i]}"
  fi
}

now=$(date -u +%s)
newest_ok="" newest_ok_age=0 count=0
while IFS= read -r name; do
  if ((count == 0)); then printf '%-20s  %-8s  %10s  %-8s  %s\n' "CREATED (UTC)" AGE SIZE CHECKSUM FILE; fi
  count=$((count + 1))
  path=$BACKUP_DIR/$name
  parse_backup_name "$name"
  stamp_to_epoch "$BK_STAMP"
  age=$((now - REPLY))
  checksum_status "$path"
  status=$REPLY
  if [[ $status == ok && -z $newest_ok ]]; then newest_ok=$name newest_ok_age=$age; fi
  human_duration "$age"
  age_text=$REPLY
  human_size "$(stat -c %s -- "$path")"
  created=$(stamp_to_iso "$BK_STAMP")
  created=${created/T/ }
  printf '%-20s  %-8s  %10s  %-8s  %s\n' "${created%Z}" "$age_text" "$REPLY" "$status" "$name"
done < <(list_backup_names)

((count > 0)) || echo "no backups in $BACKUP_DIR"
[[ -n $limit ]] || exit 0

[[ -n $newest_ok ]] || die "no backup with a valid checksum in $BACKUP_DIR"
human_duration "$newest_ok_age"
((newest_ok_age <= limit)) || die "the newest good backup, $newest_ok, is $REPLY old: older than --max-age $max_age"
echo "ok: the newest good backup, $newest_ok, is $REPLY old (limit $max_age)"
