#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Debian's /bin/login (shadow 4.13) with pam_sechard in its session stack,
# through pam_wrapper, on a pseudo-terminal: the test sets a password with
# chpasswd, a driver types it at the prompt and then runs the session
# command in the login shell.  Each kind of user gets its profile, login
# itself (the parent that closes the session as root) stays unconfined
# under enforce=child, and the logout completes: the close is logged.
# shadow's login exits 0 whatever the shell returned.  Needs root; exits
# 77 otherwise.

. "$(dirname "$0")/lib.sh"

sh_init "$@"
sh_etc_full_check

[ -x /bin/login ] || sh_die_skip "/bin/login not installed"
command -v python3 >/dev/null || sh_die_skip "python3 not installed"
command -v chpasswd >/dev/null || sh_die_skip "chpasswd not installed"

sh_setup_accounts


PASSWORD=Sechard-$RANDOM-$RANDOM
for user in "$SH_USER_NAMED" "$SH_USER_GROUPED" "$SH_USER_DEFAULT" \
	"$SH_USER_UNCONFINED"; do
	printf '%s:%s\n' "$user" "$PASSWORD" | chpasswd ||
		sh_die_skip "chpasswd failed"
done

#
# write_stack DIR CONFIG [MODULE ARGS...]: the "login" stack, with a real
# password check by pam_unix.  CONFIG "none" leaves pam_sechard out.
#
write_stack() {
	local dir=$1
	local config=$2

	shift 2
	mkdir -p -m 0755 "$dir"
	{
		printf 'auth     required   pam_unix.so\n'
		printf 'account  required   pam_permit.so\n'
		printf 'password required   pam_deny.so\n'
		printf 'session  required   pam_unix.so\n'
		if [ "$config" != none ]; then
			printf 'session  required   %s config=%s %s\n' \
				"$SH_MODULE" "$config" "$*"
		fi
	} >"$dir/login"
	printf '%s required pam_deny.so\n' auth account password session \
		>"$dir/other"
	chmod 0644 "$dir/login" "$dir/other"
}

write_stack "$SH_TMP/pam-ref" none
write_stack "$SH_TMP/pam-child" "$SH_CONFIG"
write_stack "$SH_TMP/pam-open" "$SH_CONFIG" enforce=open

# The terminal driver: types the password, then the session command.
DRIVER=$SH_TMP/pty-login.py
cat >"$DRIVER" <<'PYTHON'
"""Drive an interactive login program on a pseudo-terminal.

usage: pty-login.py PASSWORD COMMAND PROGRAM [ARGS...]

Starts PROGRAM on a new pseudo-terminal, answers the first "Password:"
prompt with PASSWORD, waits for the shell prompt, types "exec COMMAND",
copies everything the terminal shows to stdout and exits with PROGRAM's
exit status (128 + signal number when a signal ended it, 124 on timeout).
"""
import os
import pty
import select
import signal
import sys
import time

PROMPT_TIMEOUT = 15
SESSION_TIMEOUT = 60


def read_until(fd, output, patterns, timeout):
    """Read from fd into output until one of patterns shows up after the
    current end, or timeout seconds pass.  Returns False at end of input."""
    start = len(output)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        output.extend(data)
        if any(p in output[start:] for p in patterns):
            return True
    return True


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    password, command, argv = sys.argv[1], sys.argv[2], sys.argv[3:]

    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)

    output = bytearray()
    if read_until(fd, output, [b"assword:"], PROMPT_TIMEOUT):
        os.write(fd, password.encode() + b"\n")
        # bash's prompt ends in "$ "; type the command even without it.
        if read_until(fd, output, [b"$ "], PROMPT_TIMEOUT):
            os.write(fd, b"exec " + command.encode() + b"\n")
            read_until(fd, output, [], SESSION_TIMEOUT)

    status = None
    for _ in range(50):
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = raw
            break
        time.sleep(0.1)
    sys.stdout.write(output.decode(errors="replace"))
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return 124
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
PYTHON

# run_login DIR USER: log USER in with login -p (which keeps pam_wrapper's
# variables) on a pseudo-terminal and run the session command.
run_login() {
	sh_pam_run "$1" python3 "$DRIVER" "$PASSWORD" "$SH_SESSION" \
		/bin/login -p "$2"
}

#
# login_case MODE USER: like sh_login_case, but shadow's login exits 0
# whatever the shell returned, so the status must match the reference run
# and the report must be complete (its last line comes right before the
# shell's "exit 7").
#
login_case() {
	local mode=$1
	local user=$2
	local profile reference report mark log ref_status status label

	profile=$(sh_user_profile "$user")
	reference=$SH_TMP/report.ref
	report=$SH_TMP/report
	label="login $user ($profile, enforce=$mode)"

	run_login "$SH_TMP/pam-ref" "$user" >"$reference" 2>&1 </dev/null
	ref_status=$?
	mark=$(sh_log_mark)
	run_login "$SH_TMP/pam-$mode" "$user" >"$report" 2>&1 </dev/null
	status=$?
	log=$(sh_log_since "$mark")

	if [ "$status" -ne "$ref_status" ] || [ "$status" -ge 124 ] ||
		! grep -q '^op exec-true ' "$report"; then
		sh_fail "$label: session ran and ended" \
			"exit status $status, reference $ref_status" \
			"output:" "$(cat "$report")" "log:" "$log"
		return 1
	fi
	sh_pass "$label: session ran and ended"
	sh_check_session "$label: shell confinement" "$profile" \
		"$reference" "$report"
	sh_check_parent "$label: parent login" "$mode" "$profile" login \
		"$report"
	sh_check_session_log "$label: log" "$user" "$profile" "$log"
}

users="$SH_USER_NAMED $SH_USER_GROUPED $SH_USER_DEFAULT $SH_USER_UNCONFINED"

for user in $users; do
	login_case child "$user"
done

for user in "$SH_USER_NAMED" "$SH_USER_DEFAULT"; do
	login_case open "$user"
done

sh_finish
