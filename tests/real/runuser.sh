#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# util-linux runuser with pam_sechard in its session stack, through
# pam_wrapper: each kind of user gets exactly its profile's confinement,
# runuser itself stays unconfined under enforce=child, closes the session
# and returns the shell's exit status.  Also: a broken configuration
# refuses the session, and a session whose child never reaches the hook
# is reported.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/lib.sh"

sh_init "$@"
sh_setup_accounts

for service in runuser runuser-l; do
	sh_pam_service "$SH_TMP/pam-ref" "$service" none
	sh_pam_service "$SH_TMP/pam-child" "$service" "$SH_CONFIG"
	sh_pam_service "$SH_TMP/pam-open" "$service" "$SH_CONFIG" enforce=open
done

run_user() {
	sh_pam_run "$1" runuser -u "$2" -- "$SH_SESSION"
}

run_login() {
	sh_pam_run "$1" runuser -l "$2" -w "$SH_KEEP_ENV" -c "$SH_SESSION"
}

# script(1) gives runuser a terminal, without which --pty does nothing.
run_pty() {
	sh_pam_run "$1" script -q -e -c \
		"runuser --pty -u $2 -- $SH_SESSION" /dev/null
}

users="$SH_USER_NAMED $SH_USER_GROUPED $SH_USER_DEFAULT $SH_USER_UNCONFINED"

for user in $users; do
	sh_login_case "runuser -u $user" child "$user" runuser run_user
	sh_login_case "runuser -l $user" child "$user" runuser run_login
	sh_login_case "runuser --pty -u $user" child "$user" runuser run_pty
done

for user in "$SH_USER_NAMED" "$SH_USER_DEFAULT"; do
	sh_login_case "runuser -u $user" open "$user" runuser run_user
done

# A broken configuration refuses every confined session ...
broken_config=$SH_TMP/conf/broken.conf
sh_config_write "$broken_config" <<CONF
[global]
default = baseline
no_such_key = 1

$(sh_shipped_profiles)
CONF
sh_pam_service "$SH_TMP/pam-broken" runuser "$broken_config"
sh_refused_case "runuser -u broken config" "$SH_USER_NAMED" run_user \
	"$SH_TMP/pam-broken" "$broken_config"

# ... while root, unconfined in a good configuration, still logs in.
sh_login_case "runuser -u root" child root runuser run_user

#
# A PAM application whose child execs without any PAM call: pam_sechard
# cannot enforce in the child and must report that at LOG_ERR.  With the hook
# (pam_end with PAM_DATA_SILENT in the child) the same session is confined.
#
nohook=$SH_BUILD/tests/pam_nohook
if [ ! -x "$nohook" ]; then
	sh_skip "child hook never reached" "$nohook not built"
else
	sh_pam_service "$SH_TMP/pam-child" nohook "$SH_CONFIG"

	mark=$(sh_log_mark)
	"$nohook" "$SH_TMP/pam-child" nohook "$SH_USER_NAMED" "$SH_PROBE" status \
		>"$SH_TMP/report" 2>&1 </dev/null
	status=$?
	log=$(sh_log_since "$mark")
	if [ "$status" -ne 0 ]; then
		sh_fail "child hook never reached: session runs" \
			"pam_nohook exit status $status" "$(cat "$SH_TMP/report")"
	elif grep -q '^authpriv\.err .*pam_sechard' <<<"$log"; then
		sh_pass "child hook never reached: error logged"
	else
		sh_fail "child hook never reached: error logged" \
			"no pam_sechard error line" "log:" "$log"
	fi

	mark=$(sh_log_mark)
	"$nohook" --hook "$SH_TMP/pam-child" nohook "$SH_USER_NAMED" \
		"$SH_PROBE" status >"$SH_TMP/report" 2>&1 </dev/null
	status=$?
	log=$(sh_log_since "$mark")
	nnp=$(awk '$1 == "NoNewPrivs:" { print $2 }' "$SH_TMP/report")
	seccomp=$(awk '$1 == "Seccomp:" { print $2 }' "$SH_TMP/report")
	if [ "$status" -eq 0 ] && [ "$nnp" = 1 ] && [ "$seccomp" = 2 ] &&
		! grep -q '^authpriv\.err .*pam_sechard' <<<"$log"; then
		sh_pass "child hook reached: child confined, no error"
	else
		sh_fail "child hook reached: child confined, no error" \
			"exit status $status, NoNewPrivs '$nnp', Seccomp '$seccomp'" \
			"log:" "$log"
	fi
fi

sh_finish
