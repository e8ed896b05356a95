#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: a login killed while it writes a cache entry leaves its
# temporary file in /run/sechard for good.
#
# Root's sessions store compiled filters in /run/sechard (lib/cache.c):
# they write "ENTRY.PID" and rename it.  A setuid login program (su) runs
# with the resource limits of the user who started it, so the user picks
# RLIMIT_FSIZE.  A limit that ends exactly where one write() of the entry
# ends makes the next write() raise SIGXFSZ, whose default action kills
# the process before it can unlink the temporary file.  Each such login
# leaves up to a whole entry (tens of KiB for an allow-list) on the /run
# tmpfs until reboot, as long as no complete entry exists for that policy.
#
# Here root plays the user's part with prlimit around "sechard run -u",
# which builds the plan with the same code as the module.  PASS when no
# temporary file is left behind.  Needs root and prlimit; exits 77
# otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

command -v prlimit >/dev/null || sh_die_skip "prlimit not installed"
SECHARD=$SH_BUILD/sechard
[ -x "$SECHARD" ] || sh_die_skip "$SECHARD not built; run make"
CACHE=/run/sechard

sh_user_add USER_T || sh_die_skip "useradd failed"

# A profile of its own, so that its cache entry is new.
PROFILE=red2leak$(tr -dc 'a-z0-9' </dev/urandom | head -c 8)
CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline

[users]
unconfined = root
$PROFILE = $USER_T

$(sh_shipped_profiles)

[profile $PROFILE]
inherit = tenant
seccomp_errno = EACCES
CONF

newest_entry() {
	find "$CACHE" -maxdepth 1 -name '*.bpf' -newer "$1" -printf '%f\n' \
		2>/dev/null | head -n 1
}

# A first run stores the entry, which gives its name and key length.
STAMP=$SH_TMP/stamp
touch "$STAMP"
sleep 1
"$SECHARD" --config "$CONFIG" run -u "$USER_T" -- true ||
	sh_die_skip "sechard run failed without a limit"
ENTRY=$(newest_entry "$STAMP")
[ -n "$ENTRY" ] || sh_die_skip "no cache entry was stored"
KEY_LEN=$(od -An -tu4 -N4 "$CACHE/$ENTRY" | tr -d ' ')
sh_defer "rm -f '$CACHE/$ENTRY' '$CACHE/$ENTRY'.*"
rm -f "$CACHE/$ENTRY"

# The length word and the key fit, so the next write() starts at the limit.
prlimit --fsize=$((4 + KEY_LEN)) \
	"$SECHARD" --config "$CONFIG" run -u "$USER_T" -- true \
	>/dev/null 2>&1

LEFT=$(find "$CACHE" -maxdepth 1 -name "$ENTRY.*" -printf '%f %s bytes\n')
if [ -z "$LEFT" ]; then
	sh_pass "no temporary cache file left after SIGXFSZ"
else
	sh_fail "no temporary cache file left after SIGXFSZ" \
		"left in $CACHE:" "$LEFT"
fi

sh_finish
