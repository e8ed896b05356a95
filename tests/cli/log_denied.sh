#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# seccomp_log_denied: a call that the profile denies with an errno fails
# as before and the kernel writes an audit record for it (type 1326, with
# the program's path and the syscall number).  Without the setting, the
# same denial leaves no record.  The records are read from the kernel log,
# where they land when no audit daemon takes them.  Needs root to read
# the kernel log; exits 77 otherwise, and when auditd runs.

. "$(dirname "$0")/lib.sh"

cli_init

[ "$(id -u)" -eq 0 ] || cli_die_skip "needs root to read the kernel log"
command -v dmesg >/dev/null || cli_die_skip "dmesg not installed"
dmesg >/dev/null 2>&1 || cli_die_skip "the kernel log is not readable"
if pidof auditd >/dev/null 2>&1; then
	cli_die_skip "auditd runs, so audit records do not reach the kernel log"
fi
grep -qw errno /proc/sys/kernel/seccomp/actions_logged 2>/dev/null ||
	cli_die_skip "the kernel does not log errno actions (actions_logged)"

config=$CLI_TMP/sechard.conf
cli_config_write "$config" <<'CONF'
[global]
default = logged

[profile logged]
no_new_privs = yes
seccomp = denylist
seccomp_deny = getppid:EACCES
seccomp_log_denied = yes

[profile quiet]
no_new_privs = yes
seccomp = denylist
seccomp_deny = getppid:EACCES
CONF

# A copy of perl under a name of its own, which the record names as exe.
probe=$CLI_TMP/probe-$RANDOM$RANDOM
cp "$(command -v perl)" "$probe"
chmod 0755 "$probe"
getppid=$(printf '#include <sys/syscall.h>\nSYS_getppid\n' |
	cc -E -P - 2>/dev/null | tail -n 1)
[ -n "$getppid" ] || getppid=110

# records_for PROFILE: run the probe under PROFILE and print the kernel's
# seccomp records that name it.  The kernel rate-limits its log, so a
# missing record is looked for again after a pause.
records_for() {
	local profile=$1
	local attempt output

	for attempt in 1 2 3; do
		output=$("$SECHARD" --config "$config" run -p "$profile" -- \
			"$probe" -e 'syscall('"$getppid"'); print $! + 0, "\n"' 2>&1)
		printf 'errno %s\n' "$output"
		sleep 1
		if dmesg | grep 'type=1326' | grep -q "exe=\"$probe\""; then
			dmesg | grep 'type=1326' | grep "exe=\"$probe\""
			return 0
		fi
		[ "$profile" = quiet ] && return 0
	done
}

output=$(records_for logged)
if grep -q '^errno 13$' <<<"$output" &&
	grep -q "syscall=$getppid .*code=0x5" <<<"$output"; then
	cli_pass "logged: getppid fails with EACCES and the kernel records it"
else
	cli_fail "logged: getppid fails with EACCES and the kernel records it" \
		"$output"
fi

probe_quiet=$probe-quiet
mv "$probe" "$probe_quiet"
probe=$probe_quiet
output=$(records_for quiet)
if grep -q '^errno 13$' <<<"$output" && ! grep -q 'type=1326' <<<"$output"; then
	cli_pass "quiet: getppid fails with EACCES and leaves no record"
else
	cli_fail "quiet: getppid fails with EACCES and leaves no record" \
		"$output"
fi

cli_finish
