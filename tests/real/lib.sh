# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Shared functions for the real-program tests (runuser, su, sshd, login,
# sudo).  Source it from a bash script, then:
#
#   sh_init "$@"            root check (exit 77 otherwise), private mount
#                           namespace with a syslog sink on /dev/log, temp
#                           folder, /etc checksums, cleanup on exit
#   sh_user_add VAR [ARGS]  create a unique user, removed on exit
#   sh_group_add VAR        create a unique group, removed on exit
#   sh_config_write FILE    write a configuration from stdin, safe modes
#   sh_pam_service DIR NAME CONFIG [MODULE ARGS...]
#                           a test PAM stack for pam_wrapper
#   sh_pam_run DIR CMD...   run a real program against the stacks in DIR
#   sh_setup_accounts       users and a configuration mapping them to the
#                           shipped profiles by name, group and default
#   sh_login_case ...       run one login through a program and check it
#   sh_log_mark / sh_log_since MARK
#                           what the programs logged after a mark
#   sh_check_session ...    compare a probe report with a profile's table
#   sh_pass / sh_fail / sh_skip / sh_finish
#
# Nothing in /etc and nothing in /etc/pam.d is edited: users are created
# and removed with useradd/userdel, and sh_finish fails the test when the
# account files differ from their state at the start.

SH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/accounts.sh
. "$SH_REPO/tests/accounts.sh"
SH_BUILD=${SH_BUILD:-$SH_REPO/build}
SH_PROBE=$SH_BUILD/probe
SH_MODULE=$SH_BUILD/pam_sechard.so
SH_LOGSINK=$SH_BUILD/tests/logsink
SH_SHIPPED_CONFIG=$SH_REPO/conf/sechard.conf
SH_PAM_WRAPPER_LIB=${SH_PAM_WRAPPER_LIB:-libpam_wrapper.so}
SH_KEEP_ENV=PAM_WRAPPER_USE_SYSLOG

SH_ETC_FILES="/etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/subuid
/etc/subgid"

SH_PASSED=0
SH_FAILED=0
SH_SKIPPED=0
SH_CLEANUP=()
SH_TMP=
SH_LOG_FILE=
SH_SINK_PID=

# ------------------------------------------------------------------------
# Reporting

sh_pass() {
	SH_PASSED=$((SH_PASSED + 1))
	printf 'PASS %s\n' "$1"
}

# sh_fail NAME [DETAIL...]: each detail goes on its own indented line.
sh_fail() {
	local name=$1

	shift
	SH_FAILED=$((SH_FAILED + 1))
	printf 'FAIL %s\n' "$name"
	while [ $# -gt 0 ]; do
		printf '%s\n' "$1" | sed 's/^/     /'
		shift
	done
}

sh_skip() {
	SH_SKIPPED=$((SH_SKIPPED + 1))
	printf 'SKIP %s (%s)\n' "$1" "$2"
}

# Exit 1 when any case failed, 77 when every case was skipped.
sh_finish() {
	printf '%s: %d passed, %d failed, %d skipped\n' \
		"$(basename "$0")" "$SH_PASSED" "$SH_FAILED" "$SH_SKIPPED"
	if [ "$SH_FAILED" -gt 0 ]; then
		exit 1
	fi
	if [ "$SH_PASSED" -eq 0 ] && [ "$SH_SKIPPED" -gt 0 ]; then
		exit 77
	fi
	exit 0
}

sh_die_skip() {
	printf 'SKIP %s: %s\n' "$(basename "$0")" "$1"
	exit 77
}

# ------------------------------------------------------------------------
# Setup and cleanup

# Register a command to run on exit; commands run in reverse order.
sh_defer() {
	SH_CLEANUP+=("$*")
}

sh_run_cleanup() {
	local status=$?
	local i

	trap - EXIT
	for ((i = ${#SH_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${SH_CLEANUP[i]}" || true
	done
	SH_CLEANUP=()
	if ! sh_etc_verify; then
		if [ "$status" -eq 0 ] || [ "$status" -eq 77 ]; then
			status=1
		fi
	fi
	exit "$status"
}

sh_etc_snapshot() {
	# shellcheck disable=SC2086
	SH_ETC_SUMS=$(sha256sum $SH_ETC_FILES 2>/dev/null)
}

sh_etc_verify() {
	local now

	[ -n "${SH_ETC_SUMS:-}" ] || return 0
	# shellcheck disable=SC2086
	now=$(sha256sum $SH_ETC_FILES 2>/dev/null)
	if [ "$now" != "$SH_ETC_SUMS" ]; then
		printf 'FAIL /etc unchanged: account files differ after the test\n'
		diff <(printf '%s\n' "$SH_ETC_SUMS") <(printf '%s\n' "$now") |
			sed 's/^/     /'
		return 1
	fi
	return 0
}

#
# Re-run the calling script in a private mount namespace, where /dev/log
# can be replaced by the sink without the rest of the machine noticing.
# The bind mount needs something at /dev/log to cover: when the machine has
# no syslog socket, an empty file is created there for the duration of the
# test and removed afterwards.
#
# NOTE: two tests that run at the same time on a machine without /dev/log
# share that placeholder.  The first to finish removes it, which detaches
# the other's bind mount, so run-all.sh runs the tests one at a time.
#
sh_enter_log_namespace() {
	local created=0
	local status

	if [ -n "${SH_IN_LOG_NAMESPACE:-}" ]; then
		return 0
	fi
	if [ -L /dev/log ] && [ ! -e /dev/log ]; then
		sh_die_skip "/dev/log is a dangling symlink; cannot bind the log sink over it"
	fi
	if [ ! -e /dev/log ]; then
		: >/dev/log || sh_die_skip "cannot create a placeholder /dev/log"
		created=1
	fi

	SH_IN_LOG_NAMESPACE=1 unshare --mount --propagation private -- \
		bash "$0" "$@"
	status=$?

	if [ "$created" -eq 1 ] && [ -f /dev/log ] && [ ! -s /dev/log ]; then
		rm -f /dev/log
	fi
	exit "$status"
}

# Start the sink and bind its socket over /dev/log (namespace only).
sh_log_start() {
	local socket=$SH_TMP/log.sock
	local i

	SH_LOG_FILE=$SH_TMP/syslog.txt
	: >"$SH_LOG_FILE"
	"$SH_LOGSINK" "$socket" "$SH_LOG_FILE" &
	SH_SINK_PID=$!
	sh_defer "kill $SH_SINK_PID 2>/dev/null; wait $SH_SINK_PID 2>/dev/null"

	for ((i = 0; i < 100; i++)); do
		[ -S "$socket" ] && break
		sleep 0.05
	done
	[ -S "$socket" ] || sh_die_skip "log sink did not start"
	mount --bind "$socket" /dev/log ||
		sh_die_skip "cannot bind the log sink over /dev/log"
}

#
# Prepare a test: skip unless root and the build is complete, enter the log
# namespace, create the temp folder, record /etc and arm the cleanup.
#
# pam_wrapper copies the stack it reads to a new /tmp/pam.X folder and
# leaves the copy behind.  At the end, remove the folders created since
# the start whose files all equal a file of this test's stacks
# (pam_wrapper's own "pid" file aside).  The names have one random letter,
# so a name that existed at the start may be a new folder now.
#
sh_wrapper_copies_cleanup() {
	touch "$SH_TMP/pam-copies-start"
	sh_defer sh_remove_wrapper_copies
}

sh_is_own_stack_file() {
	local stack

	for stack in "$SH_TMP"/pam*/"$(basename "$1")"; do
		cmp -s "$1" "$stack" && return 0
	done
	return 1
}

sh_remove_wrapper_copies() {
	local copy file

	for copy in $(find /tmp -maxdepth 1 -type d -name 'pam.?' \
		-newer "$SH_TMP/pam-copies-start"); do
		for file in "$copy"/*; do
			[ "$(basename "$file")" = pid ] && continue
			sh_is_own_stack_file "$file" || continue 2
		done
		rm -rf "$copy"
	done
}

#
# sh_etc_full_check: /etc must be byte-identical at the end, not only the
# account files that sh_etc_verify checks.  useradd and userdel rewrite the "-" backups (/etc/passwd-
# and so on), so those are restored from a copy.  The copy is restored only
# when the account files are back to their state at the start, because a
# test running at the same time may be changing them.  This runs as the
# last cleanup step, and on a difference it runs the earlier cleanup steps
# itself and exits 1.
#
SH_ETC_ACCOUNT_FILES="/etc/passwd /etc/group /etc/shadow /etc/gshadow
/etc/subuid /etc/subgid"

sh_etc_list() {
	find /etc -xdev -printf '%p %y %m %U %G %l\n' | sort
	find /etc -xdev -type f -print0 | sort -z | xargs -0 sha256sum
}

sh_etc_full_check() {
	mkdir -m 0700 "$SH_TMP/etc-backup"
	cp -a /etc/*- "$SH_TMP/etc-backup/"
	# shellcheck disable=SC2086
	sha256sum $SH_ETC_ACCOUNT_FILES >"$SH_TMP/etc-accounts" 2>/dev/null
	sh_etc_list >"$SH_TMP/etc-before"
	SH_ETC_CHECK_INDEX=${#SH_CLEANUP[@]}
	sh_defer sh_etc_full_check_end
}

sh_etc_full_check_end() {
	local i

	if sha256sum --status -c "$SH_TMP/etc-accounts" 2>/dev/null; then
		cp -a "$SH_TMP"/etc-backup/*- /etc/
	fi
	if sh_etc_list | diff "$SH_TMP/etc-before" - >"$SH_TMP/etc-diff"; then
		printf 'PASS /etc byte-identical\n'
		return 0
	fi
	printf 'FAIL /etc byte-identical\n'
	sed 's/^/     /' "$SH_TMP/etc-diff"
	for ((i = SH_ETC_CHECK_INDEX - 1; i >= 0; i--)); do
		eval "${SH_CLEANUP[i]}" || true
	done
	exit 1
}

#
sh_init() {
	local need

	if [ "$(id -u)" -ne 0 ]; then
		sh_die_skip "needs root to create users and run login programs"
	fi
	for need in "$SH_PROBE" "$SH_MODULE" "$SH_LOGSINK"; do
		[ -e "$need" ] || sh_die_skip "$need not built; run make"
	done
	for need in unshare useradd userdel groupadd groupdel script logger; do
		command -v "$need" >/dev/null ||
			sh_die_skip "$need not installed; run make deps"
	done
	if ! sh_pam_wrapper_path >/dev/null; then
		sh_die_skip "pam_wrapper not installed; run make deps"
	fi

	sh_enter_log_namespace "$@"

	trap sh_run_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	sh_etc_snapshot

	# Folders above the configuration must not be group or world
	# writable; mktemp makes 0700, which the test users cannot enter.
	SH_TMP=$(mktemp -d /tmp/shtest.XXXXXX)
	chmod 0755 "$SH_TMP"
	sh_defer "rm -rf '$SH_TMP'"
	mkdir -m 0755 "$SH_TMP/conf"
	sh_wrapper_copies_cleanup

	sh_log_start
}

sh_pam_wrapper_path() {
	local path

	for path in /usr/lib/*/"$SH_PAM_WRAPPER_LIB" /usr/lib/"$SH_PAM_WRAPPER_LIB" \
		/usr/lib64/"$SH_PAM_WRAPPER_LIB"; do
		if [ -e "$path" ]; then
			printf '%s\n' "$path"
			return 0
		fi
	done
	return 1
}

# ------------------------------------------------------------------------
# Users and groups

sh_random_name() {
	local suffix

	suffix=$(tr -dc 'a-z0-9' </dev/urandom | head -c 8)
	printf 'shtest%s\n' "$suffix"
}

# sh_group_add VAR: create a group and store its name in VAR.
sh_group_add() {
	local name

	account_backups_keep "$SH_TMP" sh_defer
	name=$(sh_random_name)
	groupadd "$name" || return 1
	sh_defer "groupdel '$name'"
	printf -v "$1" '%s' "$name"
}

#
# sh_user_add VAR [USERADD ARGS...]: create a user with a home folder, a
# private group and bash as shell, and store its name in VAR.
#
sh_user_add() {
	local var=$1
	local name

	shift
	account_backups_keep "$SH_TMP" sh_defer
	name=$(sh_random_name)
	useradd -m -U -s /bin/bash "$@" "$name" || return 1
	# userdel -r removes the home folder and mail spool, then the
	# private group; run it before any groupdel registered earlier.
	sh_defer "userdel -r '$name' 2>/dev/null || userdel '$name'"
	printf -v "$var" '%s' "$name"
}

# ------------------------------------------------------------------------
# Configuration and PAM stacks

# Every [profile ...] section of the shipped configuration.
sh_shipped_profiles() {
	awk '/^\[profile /{on = 1} on' "$SH_SHIPPED_CONFIG"
}

# Write stdin to FILE, owned by root, mode 0644, as the module requires.
sh_config_write() {
	cat >"$1"
	chown root:root "$1"
	chmod 0644 "$1"
}

#
# sh_pam_service DIR NAME CONFIG [MODULE ARGS...]: write the stack NAME into
# DIR.  CONFIG "none" leaves pam_sechard out, for a reference run of the
# same program.  pam_unix in the session stack logs "session opened" and
# "session closed", which shows that the program closed the session.
#
sh_pam_service() {
	local dir=$1
	local name=$2
	local config=$3

	shift 3
	mkdir -p -m 0755 "$dir"
	{
		printf 'auth     sufficient pam_rootok.so\n'
		printf 'auth     required   pam_deny.so\n'
		printf 'account  required   pam_permit.so\n'
		printf 'password required   pam_deny.so\n'
		printf 'session  required   pam_unix.so\n'
		if [ "$config" != none ]; then
			printf 'session  required   %s config=%s %s\n' \
				"$SH_MODULE" "$config" "$*"
		fi
	} >"$dir/$name"
	chmod 0644 "$dir/$name"

	# libpam falls back to "other" for a missing stack and complains
	# when that is missing too.
	if [ ! -e "$dir/other" ]; then
		printf '%s required pam_deny.so\n' auth account password \
			session >"$dir/other"
		chmod 0644 "$dir/other"
	fi
}

#
# sh_pam_run DIR CMD...: run CMD with pam_wrapper reading its stacks from
# DIR.  Log lines go to the real pam_syslog, which
# reaches the sink through /dev/log.
#
sh_pam_run() {
	local dir=$1

	shift
	# su -l and runuser -l clear the environment before the child's
	# pam_end, and pam_wrapper reads PAM_WRAPPER_USE_SYSLOG at every
	# pam_syslog call: without it the child's log lines are lost.  Pass
	# "-w $SH_KEEP_ENV" to those programs.
	LD_PRELOAD=$(sh_pam_wrapper_path) PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$dir" PAM_WRAPPER_USE_SYSLOG=1 \
		"$@"
}

# ------------------------------------------------------------------------
# Logs

# Wait until the sink has written everything sent so far, then print the
# number of lines in the log.
sh_log_mark() {
	local token="sechard-test-sync-$RANDOM$RANDOM"
	local i

	logger --socket /dev/log -- "$token" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		grep -qF -- "$token" "$SH_LOG_FILE" && break
		sleep 0.05
	done
	wc -l <"$SH_LOG_FILE"
}

# Print the log lines written after MARK, once the sink has caught up.
sh_log_since() {
	sh_log_mark >/dev/null
	tail -n "+$(($1 + 1))" "$SH_LOG_FILE" | grep -v 'sechard-test-sync-'
}

# ------------------------------------------------------------------------
# Expected confinement
#
# A table line is "KEY EXPECTED".  KEY is a status field (CapBnd, CapAmb,
# CapInh, NoNewPrivs, Seccomp, Seccomp_filters) or a probe operation.
# EXPECTED is "=" (the same as the reference run of the same user through
# the same program without pam_sechard), ">=N", or the exact value, such as
# "EPERM", "ok" or "0000000000000000".  Operations missing from a table are
# not checked.

# The operations every real test tries.
SH_PROBE_OPS="ptrace unshare-user unshare-mount mount tiocsti tiocsti-high
tioclinux io-uring-setup bpf perf-event-open keyctl kexec-load init-module
reboot swapon settimeofday personality personality-flag clone3 clone-newuser
socket-inet socket-unix socket-netlink socket-packet x32 int80 fsopen
open-tree move-mount chown-self setuid-root capset-raise read write getpid
statx faccessat2 close-range openat2 rseq pthread exec-true setns-user
personality-bit31"

sh_expect_unconfined() {
	local op

	printf '%s\n' 'CapBnd =' 'CapAmb =' 'CapInh =' 'NoNewPrivs 0' \
		'Seccomp 0' 'Seccomp_filters 0'
	for op in $SH_PROBE_OPS; do
		printf '%s =\n' "$op"
	done
}

# The shipped baseline: full bounding set, a deny-list of kernel attack
# surface, the 32-bit and x32 entry points refused.
sh_expect_baseline() {
	local op

	printf '%s\n' 'CapBnd =' 'CapAmb 0000000000000000' 'CapInh =' \
		'NoNewPrivs 0' 'Seccomp 2' 'Seccomp_filters >=1'
	for op in $SH_PROBE_OPS; do
		case $op in
		tiocsti | tiocsti-high | tioclinux | io-uring-setup | bpf | \
			perf-event-open | kexec-load | init-module | reboot | \
			swapon | settimeofday | x32 | int80 | personality-flag | \
			personality-bit31 | unshare-user | clone-newuser | \
			setns-user)
			printf '%s EPERM\n' "$op" ;;
		clone3)
			printf '%s ENOSYS\n' "$op" ;;
		*)
			printf '%s =\n' "$op" ;;
		esac
	done
}

#
# The shipped tenant: no capabilities, no_new_privs, an allow-list.  Calls
# outside the allow-list get EPERM, clone3 ENOSYS so that glibc falls back
# to clone, which pthread proves.
#
sh_expect_tenant() {
	local op

	printf '%s\n' 'CapBnd 0000000000000000' 'CapAmb 0000000000000000' \
		'CapInh 0000000000000000' 'NoNewPrivs 1' 'Seccomp 2' \
		'Seccomp_filters >=1'
	for op in $SH_PROBE_OPS; do
		case $op in
		clone3)
			printf '%s ENOSYS\n' "$op" ;;
		socket-inet | socket-unix | chown-self | read | write | \
			getpid | statx | faccessat2 | close-range | openat2 | \
			rseq | pthread | exec-true | personality)
			printf '%s =\n' "$op" ;;
		*)
			# personality-flag too: personality is allowed for
			# harmless values only, and the fallback filter gives
			# other values the profile's EPERM
			printf '%s EPERM\n' "$op" ;;
		esac
	done
}

# sh_expect PROFILE: the table for a profile of the shipped configuration.
sh_expect() {
	case $1 in
	unconfined) sh_expect_unconfined ;;
	baseline) sh_expect_baseline ;;
	tenant) sh_expect_tenant ;;
	*)
		printf 'no expected table for profile %s\n' "$1" >&2
		return 1 ;;
	esac
}

#
# The shell command a session runs: the probe's own status, the status of
# the parent (the login program that opened the session), every operation,
# then "exit STATUS".  Lines come out as "self KEY VALUE", "parent KEY
# VALUE" and "op NAME VERDICT".
#
sh_session_command() {
	local exit_status=${1:-7}

	printf '%s status | sed "s/^/self /"; ' "$SH_PROBE"
	printf '%s status --pid $PPID | sed "s/^/parent /"; ' "$SH_PROBE"
	# shellcheck disable=SC2086
	printf '%s try %s | sed "s/^/op /"; ' "$SH_PROBE" \
		"$(printf '%s ' $SH_PROBE_OPS)"
	printf 'exit %s' "$exit_status"
}

# Turn a report into "KEY VALUE" lines for SOURCE (self, parent or op).
sh_report_section() {
	tr -d '\r' <"$1" | awk -v source="$2" '$1 == source {
		key = $2; sub(/:$/, "", key); print key, $3 }'
}

#
# sh_compare TABLE REFERENCE ACTUAL: print one line per mismatch between
# ACTUAL and what TABLE expects (given REFERENCE for "=").
#
sh_compare() {
	awk '
	FILENAME == ARGV[1] { expected[$1] = $2; order[n++] = $1; next }
	FILENAME == ARGV[2] { reference[$1] = $2; next }
	{ actual[$1] = $2 }
	END {
		for (i = 0; i < n; i++) {
			key = order[i]
			want = expected[key]
			got = (key in actual) ? actual[key] : "(missing)"
			if (want == "=") {
				want = (key in reference) ? reference[key] : "(missing)"
			}
			if (want ~ /^>=/) {
				if (got ~ /^[0-9]+$/ && got + 0 >= substr(want, 3) + 0)
					continue
			} else if (got == want) {
				continue
			}
			printf "%s: expected %s, got %s\n", key, want, got
		}
	}' "$1" "$2" "$3"
}

#
# sh_check_session CASE PROFILE REFERENCE_REPORT REPORT: compare the shell's
# status and verdicts with the profile's table.  Prints PASS or FAIL with
# each mismatch.
#
sh_check_session() {
	local name=$1
	local profile=$2
	local dir=$SH_TMP/compare
	local mismatches

	mkdir -p "$dir"
	sh_expect "$profile" >"$dir/table" || {
		sh_fail "$name" "no table for profile $profile"
		return 1
	}
	{ sh_report_section "$3" self; sh_report_section "$3" op; } \
		>"$dir/reference"
	{ sh_report_section "$4" self; sh_report_section "$4" op; } \
		>"$dir/actual"

	mismatches=$(sh_compare "$dir/table" "$dir/reference" "$dir/actual")
	if [ -n "$mismatches" ]; then
		local -a lines

		mapfile -t lines <<<"$mismatches"
		sh_fail "$name" "${lines[@]}"
		return 1
	fi
	sh_pass "$name"
}

# sh_report_value REPORT SOURCE KEY: one value from a report.
sh_report_value() {
	sh_report_section "$1" "$2" | awk -v key="$3" '$1 == key { print $2 }'
}

# ------------------------------------------------------------------------
# Accounts and one login case

#
# Create the four kinds of user the real tests log in as, and a
# configuration that maps them to the shipped profiles:
#   SH_USER_NAMED       [users] tenant = NAME
#   SH_USER_GROUPED     supplementary group SH_GROUP_TENANTS -> tenant
#   SH_USER_DEFAULT     no mapping -> [global] default = baseline
#   SH_USER_UNCONFINED  [users] unconfined = NAME (root too)
# SH_CONFIG is the configuration, SH_SESSION the script each session runs.
#
sh_setup_accounts() {
	sh_group_add SH_GROUP_TENANTS || sh_die_skip "groupadd failed"
	sh_user_add SH_USER_NAMED || sh_die_skip "useradd failed"
	sh_user_add SH_USER_GROUPED -G "$SH_GROUP_TENANTS" ||
		sh_die_skip "useradd failed"
	sh_user_add SH_USER_DEFAULT || sh_die_skip "useradd failed"
	sh_user_add SH_USER_UNCONFINED || sh_die_skip "useradd failed"

	SH_CONFIG=$SH_TMP/conf/sechard.conf
	sh_config_write "$SH_CONFIG" <<-CONF
	[global]
	default = baseline

	[users]
	unconfined = root, $SH_USER_UNCONFINED
	tenant = $SH_USER_NAMED

	[groups]
	tenant = $SH_GROUP_TENANTS

	$(sh_shipped_profiles)
	CONF

	SH_SESSION=$SH_TMP/session.sh
	{
		printf '#!/bin/bash\n'
		sh_session_command 7
		printf '\n'
	} >"$SH_SESSION"
	chmod 0755 "$SH_SESSION"
}

# The profile sh_setup_accounts maps USER to.
sh_user_profile() {
	case $1 in
	"$SH_USER_NAMED" | "$SH_USER_GROUPED") echo tenant ;;
	"$SH_USER_DEFAULT") echo baseline ;;
	*) echo unconfined ;;
	esac
}

#
# sh_check_parent CASE MODE PROFILE PROGRAM REPORT: under enforce=child the
# program that opened the session must keep running without no_new_privs
# and seccomp; under enforce=open it carries the profile's controls itself.
# A profile without no_new_privs (baseline) is the exception: its filter
# can only be loaded while the process still holds CAP_SYS_ADMIN, so the
# module loads it at open and the parent carries it, without no_new_privs.
#
sh_check_parent() {
	local name=$1
	local mode=$2
	local profile=$3
	local program=$4
	local report=$5
	local parent_name parent_nnp parent_seccomp self_nnp self_seccomp

	parent_name=$(sh_report_value "$report" parent Name)
	parent_nnp=$(sh_report_value "$report" parent NoNewPrivs)
	parent_seccomp=$(sh_report_value "$report" parent Seccomp)
	self_nnp=$(sh_report_value "$report" self NoNewPrivs)
	self_seccomp=$(sh_report_value "$report" self Seccomp)

	if [ "$parent_name" != "$program" ]; then
		sh_fail "$name" "parent process is '$parent_name', expected '$program'"
		return 1
	fi
	if [ "$mode" = open ] && [ "$profile" != unconfined ]; then
		if [ "$parent_nnp" != "$self_nnp" ] ||
			[ "$parent_seccomp" != "$self_seccomp" ]; then
			sh_fail "$name" "enforce=open: parent NoNewPrivs $parent_nnp Seccomp $parent_seccomp, shell NoNewPrivs $self_nnp Seccomp $self_seccomp"
			return 1
		fi
	elif [ "$profile" = baseline ]; then
		if [ "$parent_nnp" != 0 ] || [ "$parent_seccomp" != 2 ]; then
			sh_fail "$name" "parent NoNewPrivs $parent_nnp Seccomp $parent_seccomp, expected 0 2 (filter loaded at open)"
			return 1
		fi
	elif [ "$parent_nnp" != 0 ] || [ "$parent_seccomp" != 0 ]; then
		sh_fail "$name" "parent NoNewPrivs $parent_nnp Seccomp $parent_seccomp, expected 0 0"
		return 1
	fi
	sh_pass "$name"
}

#
# sh_check_session_log CASE USER PROFILE LOG: exactly one LOG_INFO line
# that is not pam_unix's names the user and the profile, no LOG_ERR line
# appears, and pam_unix logged the close of the session.  The summary line
# logged from the pam_end cleanup in the child carries libpam's "PAM"
# prefix instead of "pam_sechard(SERVICE:session)", because libpam sets no
# module name while it runs cleanups, so the match does not rely on it.
#
sh_check_session_log() {
	local name=$1
	local user=$2
	local profile=$3
	local log=$4
	local info errors

	info=$(grep '^authpriv\.info ' <<<"$log" | grep -v 'pam_unix(' |
		grep -v 'session closed' | grep -F -- "\"$user\"" |
		grep -cF -- "\"$profile\"")
	errors=$(grep '^authpriv\.err ' <<<"$log")
	if [ "$info" -ne 1 ]; then
		sh_fail "$name" "expected one info line naming \"$user\" and \"$profile\", found $info" \
			"log:" "$log"
		return 1
	fi
	if [ -n "$errors" ]; then
		sh_fail "$name" "unexpected error lines:" "$errors"
		return 1
	fi
	if ! grep -q "pam_unix(.*session closed for user $user" <<<"$log"; then
		sh_fail "$name" "the session was not closed (no pam_unix close line)" \
			"log:" "$log"
		return 1
	fi
	sh_pass "$name"
}

#
# sh_login_case LABEL MODE USER PROGRAM RUNNER: log USER in through RUNNER
# twice, first with the stacks in $SH_TMP/pam-ref (no pam_sechard), then
# with $SH_TMP/pam-MODE, and check the exit status, the shell's
# confinement, the parent and the log.  RUNNER is a function that takes
# the stack folder and the user and runs the program with SH_SESSION.
# PROGRAM is the process name the shell's parent must have.
#
sh_login_case() {
	local label=$1
	local mode=$2
	local user=$3
	local program=$4
	local runner=$5
	local profile reference report mark log ref_status status

	profile=$(sh_user_profile "$user")
	reference=$SH_TMP/report.ref
	report=$SH_TMP/report
	label="$label ($profile, enforce=$mode)"

	"$runner" "$SH_TMP/pam-ref" "$user" >"$reference" 2>&1 </dev/null
	ref_status=$?
	mark=$(sh_log_mark)
	"$runner" "$SH_TMP/pam-$mode" "$user" >"$report" 2>&1 </dev/null
	status=$?
	log=$(sh_log_since "$mark")

	if [ "$ref_status" -ne 7 ] || [ "$status" -ne 7 ]; then
		local -a output

		mapfile -t output <"$report"
		sh_fail "$label: exit status" \
			"expected 7, got $status (reference run without the module: $ref_status)" \
			"output:" "${output[@]}" "log:" "$log"
		return 1
	fi
	sh_pass "$label: exit status"
	sh_check_session "$label: shell confinement" "$profile" \
		"$reference" "$report"
	sh_check_parent "$label: parent $program" "$mode" "$profile" \
		"$program" "$report"
	sh_check_session_log "$label: log" "$user" "$profile" "$log"
}

#
# sh_refused_case LABEL USER RUNNER DIR CONFIG: a login through the stacks
# in DIR must fail before the shell runs, and log one LOG_ERR line that
# names CONFIG with a line number.
#
sh_refused_case() {
	local label=$1
	local user=$2
	local runner=$3
	local dir=$4
	local config=$5
	local report=$SH_TMP/report
	local mark log status

	mark=$(sh_log_mark)
	"$runner" "$dir" "$user" >"$report" 2>&1 </dev/null
	status=$?
	log=$(sh_log_since "$mark")

	if [ "$status" -eq 0 ] || [ "$status" -eq 7 ] ||
		grep -q '^self ' "$report"; then
		sh_fail "$label: session refused" \
			"the shell ran (exit status $status)"
	else
		sh_pass "$label: session refused"
	fi
	if grep '^authpriv\.err .*pam_sechard' <<<"$log" |
		grep -qF -- "$config:"; then
		sh_pass "$label: error names file and line"
	else
		sh_fail "$label: error names file and line" \
			"no pam_sechard error line naming $config:LINE" \
			"log:" "$log"
	fi
}
