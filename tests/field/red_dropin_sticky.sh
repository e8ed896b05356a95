#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: the drop-in folder is world-writable with the sticky bit.
#
# The safe-path check accepts a folder that others can write when it has
# the sticky bit, as /tmp does: nobody can rename or replace an entry they
# do not own.  That reasoning holds for the folders above a file, not for
# a drop-in folder, which is read as a whole: any user can add a file to
# it.  The file is not root's, so the loader refuses the whole
# configuration, and every session on the host with it (root keeps the
# rescue path).
#
# PASS when either "sechard check" already refuses such an include_dir (so
# the administrator learns before deploying), or a file planted there by a
# user does not stop another user's session.  Sessions go through
# util-linux runuser with pam_sechard (pam_wrapper).  Needs root; exits 77
# otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

SECHARD=$SH_BUILD/sechard
[ -x "$SECHARD" ] || sh_die_skip "$SECHARD not built; run make"
command -v runuser >/dev/null || sh_die_skip "runuser not installed"

sh_user_add USER_PLANTER || sh_die_skip "useradd failed"
sh_user_add USER_VICTIM || sh_die_skip "useradd failed"

DROPIN=$SH_TMP/conf/sechard.d
mkdir "$DROPIN"
chmod 1777 "$DROPIN"

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline
include_dir = $DROPIN

[users]
unconfined = root

$(sh_shipped_profiles)
CONF

sh_pam_service "$SH_TMP/pam" runuser "$CONFIG"

name="a user cannot refuse every session through a sticky drop-in folder"

if ! check_output=$("$SECHARD" --config "$CONFIG" check 2>&1); then
	if grep -qF -- "$DROPIN" <<<"$check_output"; then
		sh_pass "$name (sechard check refuses the folder)"
		sh_finish
	fi
	sh_fail "$name" "sechard check failed for another reason:" \
		"$check_output"
	sh_finish
fi

runuser -u "$USER_PLANTER" -- sh -c ": >'$DROPIN/zz-planted.conf'" ||
	sh_die_skip "the test user could not create a file in $DROPIN"

mark=$(sh_log_mark)
output=$(sh_pam_run "$SH_TMP/pam" runuser -u "$USER_VICTIM" -- \
	grep '^Seccomp:' /proc/self/status 2>&1 </dev/null)
if grep -q '^Seccomp:' <<<"$output"; then
	sh_pass "$name"
else
	sh_fail "$name" \
		"sechard check accepted include_dir = $DROPIN (mode 1777), then a file planted by $USER_PLANTER refused $USER_VICTIM's session:" \
		"$output" "log:" "$(sh_log_since "$mark")"
fi

sh_finish
