#!/usr/bin/env bash
# Several `haufo-bot run` workers on one local PostgreSQL, behind the webhook.
#
#   deploy/workers.sh [WORKERS]        (default 2; or `make workers`)
#
# Starts PostgreSQL if needed (database `haufo`), keeps SECRET_KEY and WEBHOOK_SECRET in data/workers.env so
# that every worker and every restart shares them, and runs the workers on 127.0.0.1:8081, :8082, ... with
# their logs in data/worker-N.log, until Ctrl-C. TELEGRAM_TOKEN (or ZALO_TOKEN) and WEBHOOK_BASE_URL come
# from the environment or .env: the public https URL of a reverse proxy that spreads requests over the
# workers (deploy/Caddyfile). To try it without a platform, `make workers-smoke` runs two workers against
# the fake Bot API instead.
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${1:-2}
[ -f .env ] && { set -a; . ./.env; set +a; }
if [ -z "${TELEGRAM_TOKEN:-}${ZALO_TOKEN:-}" ] || [ -z "${WEBHOOK_BASE_URL:-}" ]; then
  echo "deploy/workers.sh: set TELEGRAM_TOKEN (or ZALO_TOKEN) and WEBHOOK_BASE_URL, or run 'make workers-smoke'." >&2
  exit 1
fi
server=$(bash .ci/postgres.sh)
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'haufo'\"" | grep -q 1 \
  || su postgres -c "createdb haufo"
mkdir -p data
if [ ! -f data/workers.env ]; then
  umask 077
  printf 'SECRET_KEY=%s\nWEBHOOK_SECRET=%s\n' "$(openssl rand -hex 32)" "$(openssl rand -hex 32)" > data/workers.env
fi
set -a; . data/workers.env; set +a
export DATABASE_URL=${DATABASE_URL:-${server%/postgres}/haufo}
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait' INT TERM EXIT
for n in $(seq 1 "$workers"); do
  PORT=$((8080 + n)) .venv/bin/haufo-bot run > "data/worker-$n.log" 2>&1 &
  pids+=($!)
  echo "worker $n: http://127.0.0.1:$((8080 + n)) (log: data/worker-$n.log)"
done
echo "Point the reverse proxy at these ports; Ctrl-C stops every worker."
wait
