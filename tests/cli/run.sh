#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# sechard run: a command run with "sechard run -u USER" gets the same
# capability sets, no_new_privs and seccomp state as a shell that runuser
# starts for USER through a PAM stack with pam_sechard (pam_wrapper), for
# users mapped by name, by group, by default and to "unconfined".  Also:
# the tenant profile denies ptrace with EPERM, exit statuses pass through,
# and callers without root get exit status 3.  Needs root; exits 77
# otherwise.

. "$(dirname "$0")/../real/lib.sh"

SECHARD=$SH_BUILD/sechard
[ -x "$SECHARD" ] || sh_die_skip "$SECHARD not built; run make"
command -v runuser >/dev/null || sh_die_skip "runuser not installed"

sh_init "$@"
sh_setup_accounts

sh_pam_service "$SH_TMP/pam-child" runuser "$SH_CONFIG"
sh_pam_service "$SH_TMP/pam-open" runuser "$SH_CONFIG" enforce=open

# What both sessions print: every confinement field of their own status.
status_command='grep -E "Cap|NoNewPrivs|Seccomp" /proc/self/status'

# compare_case USER MODE
compare_case() {
	local user=$1
	local mode=$2
	local name reference actual

	name="run -u $user matches runuser ($(sh_user_profile "$user"), enforce=$mode)"
	reference=$(sh_pam_run "$SH_TMP/pam-$mode" runuser -u "$user" -- \
		sh -c "$status_command" 2>&1 </dev/null)
	actual=$("$SECHARD" run -u "$user" --config "$SH_CONFIG" \
		--enforce "$mode" -- sh -c "$status_command" 2>&1 </dev/null)

	if [ -z "$reference" ] || ! grep -q '^CapBnd:' <<<"$reference"; then
		sh_fail "$name" "runuser printed no status:" "$reference"
	elif [ "$actual" = "$reference" ]; then
		sh_pass "$name"
	else
		sh_fail "$name" "runuser:" "$reference" "sechard run:" "$actual"
	fi
}

for user in "$SH_USER_NAMED" "$SH_USER_GROUPED" "$SH_USER_DEFAULT" \
	"$SH_USER_UNCONFINED" root; do
	compare_case "$user" child
done
for user in "$SH_USER_NAMED" "$SH_USER_DEFAULT"; do
	compare_case "$user" open
done

# --- tenant denies ptrace --------------------------------------------------

output=$("$SECHARD" run -p tenant --config "$SH_CONFIG" -- \
	"$SH_PROBE" try ptrace 2>&1 </dev/null)
if [ "$output" = "ptrace EPERM" ]; then
	sh_pass "run -p tenant: ptrace EPERM"
else
	sh_fail "run -p tenant: ptrace EPERM" "got: $output"
fi

output=$("$SECHARD" run -u "$SH_USER_NAMED" --config "$SH_CONFIG" -- \
	"$SH_PROBE" try ptrace 2>&1 </dev/null)
if [ "$output" = "ptrace EPERM" ]; then
	sh_pass "run -u tenant user: ptrace EPERM"
else
	sh_fail "run -u tenant user: ptrace EPERM" "got: $output"
fi

# -p without -u keeps the caller's identity.
output=$("$SECHARD" run -p tenant --config "$SH_CONFIG" -- id -u 2>&1)
if [ "$output" = 0 ]; then
	sh_pass "run -p keeps the caller's user"
else
	sh_fail "run -p keeps the caller's user" "got: $output"
fi

# --- exit statuses ---------------------------------------------------------

# expect_status CASE EXPECTED CMD...
expect_status() {
	local name=$1
	local expected=$2
	local status

	shift 2
	"$@" >/dev/null 2>&1 </dev/null
	status=$?
	if [ "$status" -eq "$expected" ]; then
		sh_pass "$name"
	else
		sh_fail "$name" "expected exit status $expected, got $status"
	fi
}

expect_status "run passes exit status 7" 7 \
	"$SECHARD" run -u "$SH_USER_DEFAULT" --config "$SH_CONFIG" -- \
	sh -c 'exit 7'
expect_status "run reports a signal as 128 + 9" 137 \
	"$SECHARD" run -u "$SH_USER_DEFAULT" --config "$SH_CONFIG" -- \
	sh -c 'kill -9 $$'
expect_status "run of a missing command: 127" 127 \
	"$SECHARD" run -p baseline --config "$SH_CONFIG" -- \
	/nonexistent/command
expect_status "run without -u or -p: usage error" 2 \
	"$SECHARD" run --config "$SH_CONFIG" -- true
expect_status "run of an unknown profile: 1" 1 \
	"$SECHARD" run -p no-such-profile --config "$SH_CONFIG" -- true

if command -v setpriv >/dev/null; then
	expect_status "run -u as non-root: not permitted" 3 \
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$SECHARD" run -u root --config "$SH_CONFIG" -- true
	expect_status "run -p tenant as non-root: not permitted" 3 \
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$SECHARD" run -p tenant --config "$SH_CONFIG" -- true
else
	sh_skip "run as non-root" "setpriv not installed"
fi

sh_finish
