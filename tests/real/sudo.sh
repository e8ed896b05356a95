#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# sudo with pam_sechard in its "sudo" and "sudo-i" stacks, through
# pam_wrapper (sudo runs as root, so the preload applies).  sudo gives no
# PAM call in the child that runs the command, so it needs enforce=open:
# the sudo process itself is confined right after pam_open_session, and
# its command inherits that.  Cases: "sudo -u USER CMD" and "sudo -i -u
# USER CMD", without and with a terminal, the command confined and the
# session closed; the same under enforce=child, which leaves the command
# unconfined and must log that at LOG_ERR; and sudo called from inside a
# no_new_privs session, which sudo refuses with its own message.  Needs
# root; exits 77 otherwise.

. "$(dirname "$0")/lib.sh"

sh_init "$@"
sh_etc_full_check

command -v sudo >/dev/null || sh_die_skip "sudo not installed"

sh_setup_accounts


# sudo needs no password from root, so pam_rootok's auth lines suffice.
for service in sudo sudo-i runuser; do
	sh_pam_service "$SH_TMP/pam-ref" "$service" none
	sh_pam_service "$SH_TMP/pam-child" "$service" "$SH_CONFIG"
	sh_pam_service "$SH_TMP/pam-open" "$service" "$SH_CONFIG" enforce=open
done

#
# The sudoers plugin runs PAM with the command's environment, which
# env_reset empties; --preserve-env keeps the variable that sends
# pam_wrapper's pam_syslog lines to the sink.  Root may pass it because its
# rule allows ALL commands, which implies SETENV.
#
run_sudo() {
	sh_pam_run "$1" sudo --preserve-env=$SH_KEEP_ENV -u "$2" -- "$SH_SESSION"
}

run_sudo_login() {
	sh_pam_run "$1" sudo --preserve-env=$SH_KEEP_ENV -i -u "$2" -- "$SH_SESSION"
}

# With a terminal, "Defaults use_pty" (Debian's sudoers) adds a monitor
# process between sudo and the command.
run_sudo_pty() {
	sh_pam_run "$1" script -q -e -c "sudo --preserve-env=$SH_KEEP_ENV -u $2 -- $SH_SESSION" /dev/null
}

run_sudo_login_pty() {
	sh_pam_run "$1" script -q -e -c "sudo --preserve-env=$SH_KEEP_ENV -i -u $2 -- $SH_SESSION" \
		/dev/null
}

#
# sudo_case LABEL USER RUNNER: sh_login_case for sudo under enforce=open,
# which also runs the pty cases under script(1).
#
sudo_case() {
	local label=$1
	local user=$2
	local runner=$3
	local profile reference report ref_status status mark log

	profile=$(sh_user_profile "$user")
	reference=$SH_TMP/report.ref
	report=$SH_TMP/report
	label="$label ($profile, enforce=open)"

	"$runner" "$SH_TMP/pam-ref" "$user" >"$reference" 2>&1 </dev/null
	ref_status=$?
	mark=$(sh_log_mark)
	"$runner" "$SH_TMP/pam-open" "$user" >"$report" 2>&1 </dev/null
	status=$?
	log=$(sh_log_since "$mark")

	if [ "$ref_status" -ne 7 ] || [ "$status" -ne 7 ]; then
		sh_fail "$label: exit status" \
			"expected 7, got $status (reference run without the module: $ref_status)" \
			"output:" "$(cat "$report")"
		return 1
	fi
	sh_pass "$label: exit status"
	sh_check_session "$label: command confinement" "$profile" \
		"$reference" "$report"
	sh_check_parent "$label: parent sudo" open "$profile" sudo "$report"
	sh_check_session_log "$label: log" "$user" "$profile" "$log"
}

users="$SH_USER_NAMED $SH_USER_GROUPED $SH_USER_DEFAULT $SH_USER_UNCONFINED"

for user in $users; do
	sudo_case "sudo -u $user" "$user" run_sudo
	sudo_case "sudo -i -u $user" "$user" run_sudo_login
done
for user in "$SH_USER_NAMED" "$SH_USER_DEFAULT"; do
	sudo_case "sudo -u $user, terminal" "$user" run_sudo_pty
	sudo_case "sudo -i -u $user, terminal" "$user" \
		run_sudo_login_pty
done

#
# The enforce=open allowance must be enough for sudo to start the command
# and close the session even under an allow-list narrower than any shell
# profile: only what "sh -c 'exit 7'" and "bash -l" need.  Each call that
# sudo makes beyond it comes from the allowance.
#
narrow_config=$SH_TMP/conf/narrow.conf
sh_config_write "$narrow_config" <<CONF
[global]
default = unconfined
[users]
narrow = $SH_USER_NAMED
[profile narrow]
caps =
no_new_privs = yes
seccomp = allowlist
seccomp_allow = @basic-io, @memory, @signal, @file-system, arch_prctl, set_tid_address, set_robust_list, rseq, prlimit64, getrandom, getpid, getppid, getuid, geteuid, getgid, getegid, uname, futex, getpgrp, sysinfo
CONF
for service in sudo sudo-i; do
	sh_pam_service "$SH_TMP/pam-narrow" "$service" "$narrow_config" \
		enforce=open
done
narrow_command="/bin/sh -c 'exit 7'"
for runner in "sudo -u" "sudo -i -u"; do
	mark=$(sh_log_mark)
	sh_pam_run "$SH_TMP/pam-narrow" sudo --preserve-env=$SH_KEEP_ENV \
		${runner#sudo } "$SH_USER_NAMED" -- /bin/sh -c 'exit 7' \
		>"$SH_TMP/narrow.out" 2>&1 </dev/null
	status=$?
	log=$(sh_log_since "$mark")
	name="$runner, narrowest allow-list: command runs, session closes"
	if [ "$status" -eq 7 ] && grep -q 'session closed' <<<"$log"; then
		sh_pass "$name"
	else
		sh_fail "$name" "exit status $status" "log:" "$log"
	fi

	mark=$(sh_log_mark)
	sh_pam_run "$SH_TMP/pam-narrow" script -q -e -c \
		"sudo --preserve-env=$SH_KEEP_ENV ${runner#sudo } $SH_USER_NAMED -- $narrow_command" \
		/dev/null >"$SH_TMP/narrow.out" 2>&1 </dev/null
	status=$?
	log=$(sh_log_since "$mark")
	name="$runner with a terminal, narrowest allow-list: command runs, session closes"
	if [ "$status" -eq 7 ] && grep -q 'session closed' <<<"$log"; then
		sh_pass "$name"
	else
		sh_fail "$name" "exit status $status" "log:" "$log"
	fi
done

#
# Under enforce=child no PAM call reaches sudo's command process: the
# command runs with only the controls armed at open (the bounding set), and
# pam_sechard must log that at LOG_ERR when sudo closes the session.
#
mark=$(sh_log_mark)
run_sudo "$SH_TMP/pam-child" "$SH_USER_NAMED" >"$SH_TMP/report" 2>&1 </dev/null
status=$?
log=$(sh_log_since "$mark")
nnp=$(sh_report_value "$SH_TMP/report" self NoNewPrivs)
if [ "$status" -eq 7 ] && [ "$nnp" = 0 ] &&
	grep '^authpriv\.err ' <<<"$log" | grep -q 'was never enforced'; then
	sh_pass "sudo under enforce=child: not enforced, error logged"
else
	sh_fail "sudo under enforce=child: not enforced, error logged" \
		"exit status $status, NoNewPrivs '$nnp'" "log:" "$log"
fi

#
# A user in a no_new_privs session runs sudo: the kernel ignores the setuid
# bit, and sudo stops with its own message before asking for a password.
#
expected='sudo: The "no new privileges" flag is set, which prevents sudo from running as root.'
sudo_output=$(sh_pam_run "$SH_TMP/pam-child" runuser -u "$SH_USER_NAMED" -- \
	sudo -n true 2>&1 </dev/null)
status=$?
if [ "$status" -ne 0 ] && grep -qxF -- "$expected" <<<"$sudo_output"; then
	sh_pass "sudo inside a no_new_privs session: refused with sudo's message"
else
	sh_fail "sudo inside a no_new_privs session: refused with sudo's message" \
		"exit status $status" "output:" "$sudo_output"
fi

sh_finish
