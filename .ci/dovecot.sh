#!/usr/bin/env bash
# Makes an IMAP server available for the bounce-mailbox tests and prints its TEST_IMAP_URL on
# stdout (everything else goes to stderr), so both CI and a developer can write:
#
#   export TEST_IMAP_URL="$(.ci/dovecot.sh)"
#
# If TEST_IMAP_URL is already set and answers, it is used as it is. Otherwise Debian's
# `dovecot-imapd` is installed with apt-get when missing, and a private Dovecot instance is started
# as the current user on a free 127.0.0.1 port: its config, state, log and Maildir live under a
# fresh temporary folder, with one test user (password auth in clear text, on loopback only). The
# system's own Dovecot config is never touched. Stop it with: doveadm -c <folder>/dovecot.conf stop
set -euo pipefail

log() { printf 'dovecot.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

reachable() {
  local rest=${1#*://}
  rest=${rest#*@}
  local hostport=${rest%%/*}
  local host=${hostport%%:*} port=${hostport##*:}
  timeout 5 bash -c "exec 3<>/dev/tcp/${host}/${port} && head -c 4 <&3 | grep -q '^\* OK'" 2>/dev/null
}

if [[ -n ${TEST_IMAP_URL:-} ]]; then
  if reachable "$TEST_IMAP_URL"; then
    log "using the IMAP server TEST_IMAP_URL names"
    printf '%s\n' "$TEST_IMAP_URL"
    exit 0
  fi
  log "TEST_IMAP_URL is set but does not answer; starting a local Dovecot instead"
fi

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
if ! command -v dovecot >/dev/null || [[ ! -x /usr/lib/dovecot/imap ]]; then
  log "installing Debian's dovecot-imapd"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >&2
  as_root apt-get install -y -qq --no-install-recommends dovecot-imapd >&2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/topic-digest-dovecot.XXXXXX")
chmod 755 "$dir"
mkdir -p "$dir/run" "$dir/state" "$dir/home"
# Dovecot runs every process as the invoking user; as root (CI) it refuses that, so it uses the
# package's unprivileged accounts instead and the mail belongs to `dovecot`.
if [[ $(id -u) == 0 ]]; then
  login_user=dovenull internal_user=dovecot mail_user=dovecot
  chown "$mail_user:" "$dir/home"
else
  login_user=$(id -un) internal_user=$(id -un) mail_user=$(id -un)
fi
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
login=bounces
printf '%s:{PLAIN}%s\n' "$login" "$password" >"$dir/users"

# A free port: bind to 0, read what the kernel picked, release it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cat >"$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = $login_user
default_internal_user = $internal_user
first_valid_uid = 0
first_valid_gid = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=$(id -u "$mail_user") gid=$(id -g "$mail_user") home=$dir/home/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
CONF

dovecot -c "$dir/dovecot.conf" || die "dovecot did not start; see $dir/dovecot.log"
url="imap://$login:$password@127.0.0.1:$port/INBOX"
for _ in $(seq 1 40); do
  reachable "$url" && break
  sleep 0.25
done
reachable "$url" || die "Dovecot did not answer on 127.0.0.1:$port; see $dir/dovecot.log"
log "Dovecot ready on 127.0.0.1:$port (config $dir/dovecot.conf)"
printf '%s\n' "$url"
