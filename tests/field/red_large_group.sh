#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: a [groups] mapping names a group with many members.
#
# The configuration loader and the resolver look groups up with
# getgrnam_r() and a fixed 16 KiB buffer.  A group whose entry is larger
# (about a thousand members, usual for a directory group such as the
# "Domain Users" the shipped configuration shows as an example) makes the
# lookup fail with ERANGE, which the loader reports as an unknown group:
# the configuration is refused, and with it every session on the host
# except root's rescue.
#
# The test adds such a group to a copy of /etc/group bind-mounted over the
# real one inside lib.sh's private mount namespace (the real file is never
# written), maps it to tenant, and logs in a member and a user with no
# mapping through util-linux runuser with pam_sechard (pam_wrapper).  PASS
# when the member gets the tenant profile and the other user gets a
# session.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

command -v runuser >/dev/null || sh_die_skip "runuser not installed"

sh_user_add USER_MEMBER || sh_die_skip "useradd failed"
sh_user_add USER_OTHER || sh_die_skip "useradd failed"

BIG_GROUP=$(sh_random_name)
big_gid=
for ((gid = 61000; gid < 62000; gid++)); do
	if ! getent group "$gid" >/dev/null; then
		big_gid=$gid
		break
	fi
done
[ -n "$big_gid" ] || sh_die_skip "no free gid between 61000 and 61999"

# 1500 members of 15 characters: about 24 KiB, well past 16 KiB.
cp /etc/group "$SH_TMP/group"
{
	printf '%s:x:%s:' "$BIG_GROUP" "$big_gid"
	for ((i = 1; i <= 1500; i++)); do
		printf 'shfakemem%05d,' "$i"
	done
	printf '%s\n' "$USER_MEMBER"
} >>"$SH_TMP/group"
chmod 0644 "$SH_TMP/group"
mount --bind "$SH_TMP/group" /etc/group ||
	sh_die_skip "cannot bind a copy over /etc/group"
# Runs before the userdel steps registered above, which must see the
# real file.
sh_defer "umount /etc/group"

getent group "$BIG_GROUP" >/dev/null ||
	sh_die_skip "NSS does not return the test group"

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline

[users]
unconfined = root

[groups]
tenant = $BIG_GROUP

$(sh_shipped_profiles)
CONF

sh_pam_service "$SH_TMP/pam" runuser "$CONFIG"

session_status() {
	sh_pam_run "$SH_TMP/pam" runuser -u "$1" -- \
		grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status 2>&1 </dev/null
}

mark=$(sh_log_mark)
output=$(session_status "$USER_MEMBER")
if grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$output"; then
	sh_pass "member of a large mapped group gets tenant"
else
	sh_fail "member of a large mapped group gets tenant" \
		"session output:" "$output" "log:" "$(sh_log_since "$mark")"
fi

mark=$(sh_log_mark)
output=$(session_status "$USER_OTHER")
if grep -q '^Seccomp:[[:space:]]*2' <<<"$output"; then
	sh_pass "a user outside the large group still gets a session"
else
	sh_fail "a user outside the large group still gets a session" \
		"session output:" "$output" "log:" "$(sh_log_since "$mark")"
fi

sh_finish
