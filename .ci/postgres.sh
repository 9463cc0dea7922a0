#!/usr/bin/env bash
# Makes a PostgreSQL server available for the store tests and prints its TEST_DATABASE_URL on
# stdout (everything else goes to stderr), so both CI and a developer can write:
#
#   export TEST_DATABASE_URL="$(.ci/postgres.sh)"
#
# If TEST_DATABASE_URL is already set and answers, it is used as it is. Otherwise Debian's
# `postgresql` is installed with apt-get when missing, its cluster is started with pg_ctlcluster
# (CI machines have no systemd), and a superuser role `topic_digest` (password `topic_digest`) and
# a database `topic_digest_test` are created. The tests create and drop their own databases
# (td_<random>) through that role. Every step can be repeated: running this twice changes nothing.
set -euo pipefail

ROLE=topic_digest
PASSWORD=topic_digest
DATABASE=topic_digest_test

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Whether a PostgreSQL URL accepts a login and a query. psql comes with the server packages;
# before they are installed, a TCP connect to host:port is the best available check.
reachable() {
  local url=$1
  if command -v psql >/dev/null; then
    psql "$url" -XAtqc 'select 1' >/dev/null 2>&1
  else
    local rest=${url#*://}
    rest=${rest#*@}
    local hostport=${rest%%/*}
    local host=${hostport%%:*} port=5432
    [[ $hostport == *:* ]] && port=${hostport##*:}
    timeout 5 bash -c "exec 3<>/dev/tcp/${host}/${port}" 2>/dev/null
  fi
}

if [[ -n ${TEST_DATABASE_URL:-} ]]; then
  if reachable "$TEST_DATABASE_URL"; then
    log "using the PostgreSQL server TEST_DATABASE_URL names"
    printf '%s\n' "$TEST_DATABASE_URL"
    exit 0
  fi
  log "TEST_DATABASE_URL is set but does not answer; setting up a local server instead"
fi

# Root runs commands directly (CI); a developer goes through sudo.
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
# The postgres OS user owns the cluster and logs in over the Unix socket (peer authentication).
# `cd /` because it usually may not read the caller's working directory.
as_postgres() {
  if [[ $(id -un) == postgres ]]; then (cd / && "$@")
  elif [[ $(id -u) == 0 ]]; then (cd / && runuser -u postgres -- "$@")
  else (cd / && sudo -u postgres "$@"); fi
}

# A cluster created in a bare environment would get the C locale and SQL_ASCII encoding; tests
# store non-ASCII text, so the server must be UTF-8 like any real deployment.
export LANG=C.UTF-8 LC_ALL=C.UTF-8

if ! command -v pg_ctlcluster >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >&2
  as_root apt-get install -y -qq --no-install-recommends postgresql >&2
fi

# The newest installed server version; Debian 12 has one (15).
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
[[ -n $version ]] || die "no PostgreSQL server found under /usr/lib/postgresql"

# pg_lsclusters -h: "<version> <cluster> <port> <status> <owner> <data dir> <log file>".
cluster_line() { pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"'; }
if [[ -z $(cluster_line) ]]; then
  log "creating cluster $version/main"
  as_root pg_createcluster "$version" main >&2
fi
if [[ $(cluster_line | awk '{print $4}') != online* ]]; then
  log "starting cluster $version/main"
  as_root pg_ctlcluster "$version" main start >&2
fi
port=$(cluster_line | awk '{print $3}')

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || die "PostgreSQL $version/main did not accept connections on 127.0.0.1:$port within 30 s"

psql_admin() { as_postgres psql -X -p "$port" -v ON_ERROR_STOP=1 -Atq "$@"; }

# CREATE … IF NOT EXISTS does not exist for roles or databases, so look first. Two runs racing
# may still both try to create; the loser's "already exists" is fine if the object is there.
if [[ -z $(psql_admin -c "select 1 from pg_roles where rolname = '$ROLE'") ]]; then
  log "creating role $ROLE"
  psql_admin -c "create role $ROLE login superuser password '$PASSWORD'" >&2 ||
    [[ -n $(psql_admin -c "select 1 from pg_roles where rolname = '$ROLE'") ]] || die "cannot create role $ROLE"
fi
if [[ -z $(psql_admin -c "select 1 from pg_database where datname = '$DATABASE'") ]]; then
  log "creating database $DATABASE"
  psql_admin -c "create database $DATABASE owner $ROLE" >&2 ||
    [[ -n $(psql_admin -c "select 1 from pg_database where datname = '$DATABASE'") ]] || die "cannot create database $DATABASE"
fi

url="postgres://$ROLE:$PASSWORD@127.0.0.1:$port/$DATABASE"
# The role may predate this script with another password; say so rather than fail later in vitest.
reachable "$url" || die "cannot log in as $ROLE at 127.0.0.1:$port/$DATABASE (password changed? pg_hba.conf?)"
log "PostgreSQL $version ready at 127.0.0.1:$port/$DATABASE"
printf '%s\n' "$url"
