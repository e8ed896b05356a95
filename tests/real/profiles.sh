#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The shipped profiles (baseline, tenant, builder, and unconfined) through
# the real util-linux runuser with pam_sechard in its session stack, through
# pam_wrapper:
#
#   - each session carries its profile's bounding set, no_new_privs and
#     filter;
#   - escape probes (terminal injection, creating or joining a user
#     namespace, clone3, io_uring, the new mount API, personality flags
#     that weaken memory protection, the x32 and int 0x80 entry points)
#     give exactly the expected error;
#   - ordinary work keeps working: threads, a shell pipeline, ls, stat,
#     faccessat2, close_range, openat2, rseq, tar and gzip, Python threads,
#     and for builder (and baseline, which builder inherits) a make/gcc
#     build, a git commit, gdb and strace.
#
# Each escape verdict line also shows what the same user got without the
# module, so that a reader can tell the filter's refusals from the
# kernel's own permission checks.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/lib.sh"

sh_init "$@"

PROFILES_CMD_TIMEOUT=120

# Operations an escape would need.  Every shipped confined profile must
# refuse each of them with the errno its table gives.
ESCAPE_OPS="tiocsti tiocsti-high tioclinux tioclinux-high unshare-user
clone-newuser clone-newuser-high setns-user clone3 io-uring-setup fsopen
fsmount move-mount open-tree-clone mount-setattr personality-flag
personality-no-randomize personality-bit31 x32 int80"

# Probe operations that ordinary programs make; they must give the same
# verdict as without the module (rseq with a NULL area is EINVAL there).
WORK_OPS="pthread faccessat2 close-range statx openat2 rseq exec-true read
write socket-unix personality"

# ------------------------------------------------------------------------
# Expected verdicts

#
# expect_escape PROFILE OP: the verdict OP must get under PROFILE, or "="
# for the verdict of the reference run without the module.
#
expect_escape() {
	local profile=$1
	local op=$2

	case $profile in
	unconfined)
		echo "="
		return ;;
	esac

	case $op in
	clone3)
		# glibc falls back to clone, whose flags the filter reads
		echo ENOSYS ;;
	*)
		echo EPERM ;;
	esac
}

#
# expect_status PROFILE: the /proc status lines each profile's session must
# show, as "KEY VALUE" ("=" means as in the reference run).
#
expect_status() {
	case $1 in
	unconfined)
		printf '%s\n' 'CapBnd =' 'NoNewPrivs 0' 'Seccomp 0' ;;
	baseline)
		printf '%s\n' 'CapBnd =' 'CapAmb 0000000000000000' \
			'NoNewPrivs 0' 'Seccomp 2' ;;
	tenant | builder)
		printf '%s\n' 'CapBnd 0000000000000000' \
			'CapAmb 0000000000000000' 'NoNewPrivs 1' 'Seccomp 2' ;;
	esac
}

# ------------------------------------------------------------------------
# Accounts, configuration and PAM stacks

sh_user_add USER_BASELINE || sh_die_skip "useradd failed"
sh_user_add USER_TENANT || sh_die_skip "useradd failed"
sh_user_add USER_BUILDER || sh_die_skip "useradd failed"
sh_user_add USER_UNCONFINED || sh_die_skip "useradd failed"

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline

[users]
unconfined = root, $USER_UNCONFINED
tenant = $USER_TENANT
builder = $USER_BUILDER

$(sh_shipped_profiles)
CONF

sh_pam_service "$SH_TMP/pam-ref" runuser none
sh_pam_service "$SH_TMP/pam-child" runuser "$CONFIG"

profile_user() {
	case $1 in
	baseline) echo "$USER_BASELINE" ;;
	tenant) echo "$USER_TENANT" ;;
	builder) echo "$USER_BUILDER" ;;
	unconfined) echo "$USER_UNCONFINED" ;;
	esac
}

user_home() {
	getent passwd "$1" | cut -d: -f6
}

# ------------------------------------------------------------------------
# Sessions

#
# run_session DIR USER COMMAND: log USER in through runuser with the stacks
# in DIR and run COMMAND with bash in the user's home.  No terminal.
#
run_session() {
	local dir=$1
	local user=$2
	local command=$3
	local home

	home=$(user_home "$user")
	sh_pam_run "$dir" runuser -u "$user" -- /usr/bin/timeout \
		"$PROFILES_CMD_TIMEOUT" /bin/bash -c \
		"cd '$home' && export HOME='$home' && $command" </dev/null
}

#
# run_pty_session DIR USER COMMAND: the same with a terminal, which
# script(1) gives runuser, so that TIOCSTI and TIOCLINUX reach a tty.
#
run_pty_session() {
	local dir=$1
	local user=$2
	local command=$3

	sh_pam_run "$dir" script -q -e -c \
		"runuser --pty -u $user -- $command" /dev/null </dev/null
}

#
# op_verdict REPORT OP: the verdict of OP in a "probe try" report.  Output
# through a terminal carries carriage returns, and now and then a leading
# "^@", the terminal's echo of a NUL byte (seen with script(1) reading
# /dev/null; its source is not pinned down).
#
op_verdict() {
	tr -d '\r\000' <"$1" | sed 's/\^@//g' |
		awk -v op="$2" '$1 == op { print $2 }'
}

# ------------------------------------------------------------------------
# Cases

#
# check_confinement PROFILE: the session's status lines match the profile
# and the module logged the user and profile.
#
check_confinement() {
	local profile=$1
	local user mark log mismatches
	local name="$profile: confinement applied"

	user=$(profile_user "$profile")
	run_session "$SH_TMP/pam-ref" "$user" "$SH_PROBE status" \
		>"$SH_TMP/status.ref" 2>&1
	mark=$(sh_log_mark)
	run_session "$SH_TMP/pam-child" "$user" "$SH_PROBE status" \
		>"$SH_TMP/status" 2>&1
	log=$(sh_log_since "$mark")

	expect_status "$profile" >"$SH_TMP/status.table"
	mismatches=$(sh_compare "$SH_TMP/status.table" \
		<(tr -d ':' <"$SH_TMP/status.ref") \
		<(tr -d ':' <"$SH_TMP/status"))
	if [ -n "$mismatches" ]; then
		local -a lines

		mapfile -t lines <<<"$mismatches"
		sh_fail "$name" "${lines[@]}"
	else
		sh_pass "$name"
	fi

	if [ "$profile" != unconfined ]; then
		sh_check_session_log "$profile: session logged" "$user" \
			"$profile" "$log"
	fi
}

#
# check_escapes PROFILE: every escape operation, with a terminal, gets the
# verdict expect_escape gives.
#
check_escapes() {
	local profile=$1
	local user op want got ref note label
	local ops

	user=$(profile_user "$profile")
	ops=$(printf '%s ' $ESCAPE_OPS)
	run_pty_session "$SH_TMP/pam-ref" "$user" "$SH_PROBE try $ops" \
		>"$SH_TMP/escape.ref" 2>&1
	run_pty_session "$SH_TMP/pam-child" "$user" "$SH_PROBE try $ops" \
		>"$SH_TMP/escape" 2>&1

	for op in $ESCAPE_OPS; do
		want=$(expect_escape "$profile" "$op")
		got=$(op_verdict "$SH_TMP/escape" "$op")
		ref=$(op_verdict "$SH_TMP/escape.ref" "$op")
		[ "$want" = "=" ] && want=$ref
		if [ "$profile" = unconfined ]; then
			note="without the module: ${ref:-(missing)}"
		elif [ "$ref" = "$got" ]; then
			note="the kernel refuses it too"
		else
			note="without the module: ${ref:-(missing)}"
		fi

		if [ "$profile" = unconfined ]; then
			label="$profile: $op as without the module"
		else
			label="$profile: escape $op refused"
		fi

		if [ -n "$got" ] && [ "$got" = "$want" ] &&
			{ [ "$profile" = unconfined ] || [ "$got" != ok ]; }; then
			sh_pass "$label: $got ($note)"
		else
			local -a report

			mapfile -t report < <(tr -d '\r' <"$SH_TMP/escape")
			sh_fail "$label" \
				"expected $want, got ${got:-(missing)} ($note)" \
				"report:" "${report[@]}"
		fi
	done
}

# check_work_ops PROFILE: ordinary probe operations as without the module.
check_work_ops() {
	local profile=$1
	local user op got ref
	local ops

	user=$(profile_user "$profile")
	ops=$(printf '%s ' $WORK_OPS)
	run_session "$SH_TMP/pam-ref" "$user" "$SH_PROBE try $ops" \
		>"$SH_TMP/work.ref" 2>&1
	run_session "$SH_TMP/pam-child" "$user" "$SH_PROBE try $ops" \
		>"$SH_TMP/work" 2>&1

	for op in $WORK_OPS; do
		got=$(op_verdict "$SH_TMP/work" "$op")
		ref=$(op_verdict "$SH_TMP/work.ref" "$op")
		if [ -n "$got" ] && [ "$got" = "$ref" ]; then
			sh_pass "$profile: $op works: $got"
		else
			sh_fail "$profile: $op works" \
				"got ${got:-(missing)}, without the module ${ref:-(missing)}"
		fi
	done
}

#
# check_command PROFILE LABEL EXPECTED COMMAND: COMMAND exits 0 in the
# session and its output contains the line EXPECTED ("" skips that check).
# On failure the same command runs without the module, to tell a profile
# problem from a broken tool.
#
check_command() {
	local profile=$1
	local label=$2
	local expected=$3
	local command=$4
	local user status ref_status
	local name="$profile: $label"

	user=$(profile_user "$profile")
	run_session "$SH_TMP/pam-child" "$user" "$command" \
		>"$SH_TMP/command.out" 2>&1
	status=$?
	if [ "$status" -eq 0 ] && { [ -z "$expected" ] ||
		tr -d '\r' <"$SH_TMP/command.out" | grep -qxF -- "$expected"; }; then
		sh_pass "$name"
		return 0
	fi

	run_session "$SH_TMP/pam-ref" "$user" "$command" \
		>"$SH_TMP/command.ref" 2>&1
	ref_status=$?
	local -a output

	mapfile -t output < <(tail -n 20 "$SH_TMP/command.out")
	sh_fail "$name" \
		"exit status $status (without the module: $ref_status), expected 0${expected:+ and a line \"$expected\"}" \
		"output:" "${output[@]}"
	return 1
}

#
# check_refused PROFILE LABEL COMMAND: COMMAND must fail in the session
# while it succeeds without the module.
#
check_refused() {
	local profile=$1
	local label=$2
	local command=$3
	local user status ref_status
	local name="$profile: $label refused"

	user=$(profile_user "$profile")
	run_session "$SH_TMP/pam-ref" "$user" "$command" \
		>"$SH_TMP/command.ref" 2>&1
	ref_status=$?
	run_session "$SH_TMP/pam-child" "$user" "$command" \
		>"$SH_TMP/command.out" 2>&1
	status=$?
	if [ "$ref_status" -ne 0 ]; then
		sh_skip "$name" "fails without the module too (exit status $ref_status)"
	elif [ "$status" -ne 0 ]; then
		sh_pass "$name: exit status $status"
	else
		sh_fail "$name" "exit status 0, expected a failure"
	fi
}

# The shell-level work every profile must allow.
check_shell_work() {
	local profile=$1

	check_command "$profile" "test -x /bin/sh" "" 'test -x /bin/sh'
	check_command "$profile" "stat /" "" 'stat / >/dev/null'
	check_command "$profile" "sh pipeline" "a" "sh -c 'echo a | cat'"
	check_command "$profile" "ls -la /" "" \
		'ls -la / | grep -q " etc$"'
	check_command "$profile" "tar and gzip" "data" \
		'rm -rf tree tree.tar.gz && mkdir -p tree/sub &&
		 echo data >tree/sub/file && tar -czf tree.tar.gz tree &&
		 gzip -t tree.tar.gz && rm -rf tree &&
		 tar -xzf tree.tar.gz && cat tree/sub/file'
	check_command "$profile" "mv and ln between folders" "moved" \
		'rm -rf move-test && mkdir -p move-test/a move-test/b/c &&
		 echo moved >move-test/a/file &&
		 mv move-test/a/file move-test/b/c/file &&
		 mv move-test/b/c move-test/a/c &&
		 ln move-test/a/c/file move-test/b/link && cat move-test/b/link'
	check_command "$profile" "ulimit sets its own limits" "limited" \
		'ulimit -c 0 && ulimit -n 256 && echo limited'
	check_command "$profile" "python3 threads" "thread ran" \
		"/usr/bin/python3 -c 'import threading
t = threading.Thread(target=print, args=(\"thread ran\",))
t.start()
t.join()'"
}

# A C program built with make and gcc in the home folder, then run.
BUILD_COMMAND='rm -rf build-test && mkdir build-test && cd build-test &&
printf "%s\n" "#include <stdio.h>" "int main(void)" "{" \
	"	puts(\"built and ran\");" "	return 0;" "}" >hello.c &&
printf "hello: hello.c\n\t\$(CC) -O2 -pthread -o \$@ hello.c\n" >Makefile &&
make CC=gcc >/dev/null && ./hello'

# A repository with one commit in the home folder.
GIT_COMMAND='rm -rf git-test && mkdir git-test && cd git-test &&
git init -q && echo content >file && git add file &&
git -c user.name=Test -c user.email=test@example.invalid \
	commit -q -m "first commit" && git log --format=%s'

STRACE_COMMAND='strace -f -o /dev/null sh -c true && echo traced'

# The builder work, for builder and baseline (which builder inherits).
check_builder_work() {
	local profile=$1

	check_command "$profile" "make and gcc build" "built and ran" \
		"$BUILD_COMMAND"
	check_command "$profile" "git init, add, commit" "first commit" \
		"$GIT_COMMAND"
	check_gdb "$profile"
	check_command "$profile" "strace -f" "traced" "$STRACE_COMMAND"
}

#
# gdb disables address space randomization for the program it runs through
# personality(ADDR_NO_RANDOMIZE), which the confined profiles refuse.  gdb
# then warns and runs the program anyway, which is what this checks.
#
check_gdb() {
	local profile=$1
	local user status

	user=$(profile_user "$profile")
	run_session "$SH_TMP/pam-child" "$user" \
		'gdb -nx -batch -ex run --args /bin/true' \
		>"$SH_TMP/gdb.out" 2>&1
	status=$?
	if [ "$status" -eq 0 ] && grep -q 'exited normally' "$SH_TMP/gdb.out"; then
		if grep -q 'disabling address space randomization' \
			"$SH_TMP/gdb.out"; then
			sh_pass "$profile: gdb runs a program (ASLR stays on)"
		else
			sh_pass "$profile: gdb runs a program"
		fi
	else
		local -a output

		mapfile -t output < <(tail -n 20 "$SH_TMP/gdb.out")
		sh_fail "$profile: gdb runs a program" \
			"exit status $status" "output:" "${output[@]}"
	fi
}

# ------------------------------------------------------------------------

for tool in gcc make git gdb strace tar gzip /usr/bin/python3; do
	if ! command -v "$tool" >/dev/null; then
		sh_die_skip "$tool is not installed; install it (apt-get install $(basename "$tool"))"
	fi
done

for profile in baseline tenant builder unconfined; do
	check_confinement "$profile"
	check_escapes "$profile"
	check_work_ops "$profile"
	check_shell_work "$profile"
done

for profile in baseline builder; do
	check_builder_work "$profile"
done

# A process of the same user that no session confines, as a cron job or
# "systemd --user" runs it.  tenant and builder must not reach into it:
# code written there would run without the profile.  Their own processes
# stay open to them.
outside_user=$(profile_user tenant)
setpriv --reuid="$outside_user" --regid="$(id -g "$outside_user")" \
	--init-groups sleep 600 &
outside_tenant=$!
outside_user=$(profile_user builder)
setpriv --reuid="$outside_user" --regid="$(id -g "$outside_user")" \
	--init-groups sleep 600 &
outside_builder=$!
# before userdel, which refuses a user that still runs a process
sh_defer "kill $outside_tenant $outside_builder 2>/dev/null;
	wait $outside_tenant $outside_builder 2>/dev/null"

open_mem() {
	printf '/usr/bin/python3 -c "open(\\"/proc/%s/mem\\", \\"r+b\\").close()"' "$1"
}

check_refused tenant "writing the memory of the user's process outside the session" \
	"$(open_mem "$outside_tenant")"
check_refused builder "writing the memory of the user's process outside the session" \
	"$(open_mem "$outside_builder")"
check_refused builder "ptrace of the user's process outside the session" \
	"/usr/bin/python3 -c 'import ctypes, sys
sys.exit(ctypes.CDLL(None).ptrace(0x4206, $outside_builder, 0, 0) != 0)'"
check_refused tenant "raising the core limit of the user's process outside the session" \
	"prlimit --pid $outside_tenant --core=unlimited"
check_refused builder "raising the core limit of the user's process outside the session" \
	"prlimit --pid $outside_builder --core=unlimited"
for profile in tenant builder; do
	check_command "$profile" "writing the memory of its own process" "own" \
		"{ sleep 30 & } && $(open_mem '$!') && echo own; kill \$!"
done

# The tenant allow-list leaves out ptrace: tracers must fail there.
check_refused tenant "strace -f" "$STRACE_COMMAND"
check_refused tenant "gdb run" 'gdb -nx -batch -ex run --args /bin/true 2>&1 |
	grep -q "exited normally"'

sh_finish
