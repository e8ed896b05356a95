# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Shared functions for the sechard tool tests.  Source it from a bash
# script, then:
#
#   cli_init                temp folder $CLI_TMP (0755, removed on exit),
#                           skip when build/sechard is missing
#   cli_defer CMD           run CMD on exit, last registered first
#   cli_pass / cli_fail / cli_skip / cli_finish
#   cli_module_log CONFIG USER
#                           the error line pam_sechard logs for a session
#                           of USER with CONFIG, through pamtester and
#                           pam_wrapper, without its "refusing ..." prefix

CLI_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/accounts.sh
. "$CLI_REPO/tests/accounts.sh"
CLI_BUILD=${CLI_BUILD:-$CLI_REPO/build}
SECHARD=$CLI_BUILD/sechard
CLI_MODULE=$CLI_BUILD/pam_sechard.so
CLI_SHIPPED_CONFIG=$CLI_REPO/conf/sechard.conf

CLI_PASSED=0
CLI_FAILED=0
CLI_SKIPPED=0
CLI_CLEANUP=()
CLI_TMP=

cli_pass() {
	CLI_PASSED=$((CLI_PASSED + 1))
	printf 'PASS %s\n' "$1"
}

# cli_fail NAME [DETAIL...]: each detail goes on its own indented line.
cli_fail() {
	local name=$1

	shift
	CLI_FAILED=$((CLI_FAILED + 1))
	printf 'FAIL %s\n' "$name"
	while [ $# -gt 0 ]; do
		printf '%s\n' "$1" | sed 's/^/     /'
		shift
	done
}

cli_skip() {
	CLI_SKIPPED=$((CLI_SKIPPED + 1))
	printf 'SKIP %s (%s)\n' "$1" "$2"
}

cli_die_skip() {
	printf 'SKIP %s: %s\n' "$(basename "$0")" "$1"
	exit 77
}

# Exit 1 when any case failed, 77 when every case was skipped.
cli_finish() {
	printf '%s: %d passed, %d failed, %d skipped\n' \
		"$(basename "$0")" "$CLI_PASSED" "$CLI_FAILED" "$CLI_SKIPPED"
	if [ "$CLI_FAILED" -gt 0 ]; then
		exit 1
	fi
	if [ "$CLI_PASSED" -eq 0 ] && [ "$CLI_SKIPPED" -gt 0 ]; then
		exit 77
	fi
	exit 0
}

cli_defer() {
	CLI_CLEANUP+=("$*")
}

cli_run_cleanup() {
	local status=$?

	trap - EXIT
	cli_cleanup_now
	exit "$status"
}

# Run the registered cleanups now, for example before cli_etc_verify.
cli_cleanup_now() {
	local i

	for ((i = ${#CLI_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${CLI_CLEANUP[i]}" || true
	done
	CLI_CLEANUP=()
}

cli_init() {
	[ -x "$SECHARD" ] || cli_die_skip "$SECHARD not built; run make"
	trap cli_run_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	# The library refuses folders writable by group or others; mktemp
	# makes 0700, which other users cannot enter.
	CLI_TMP=$(mktemp -d /tmp/shcli.XXXXXX)
	chmod 0755 "$CLI_TMP"
	cli_defer "rm -rf '$CLI_TMP'"
}

# Write stdin to FILE with the mode the module requires.
cli_config_write() {
	cat >"$1"
	chmod 0644 "$1"
}

cli_have_pamtester() {
	command -v pamtester >/dev/null || return 1
	for path in /usr/lib/*/libpam_wrapper.so /usr/lib/libpam_wrapper.so; do
		[ -e "$path" ] && return 0
	done
	return 1
}

#
# cli_module_log CONFIG USER: open a session for USER through a one-line
# stack holding pam_sechard with CONFIG, and print what follows
# 'refusing session for user "USER": ' in the module's error line.
# pam_wrapper prints pam_syslog lines on stderr at debug level 2.
#
cli_module_log() {
	local config=$1
	local user=$2
	local dir=$CLI_TMP/pam

	mkdir -p -m 0755 "$dir"
	printf 'session required %s config=%s\n' "$CLI_MODULE" "$config" \
		>"$dir/sechard-cli-test"
	printf '%s required pam_deny.so\n' auth account password session \
		>"$dir/other"
	LD_PRELOAD=libpam_wrapper.so PAM_WRAPPER=1 PAM_WRAPPER_DEBUGLEVEL=2 \
		PAM_WRAPPER_SERVICE_DIR="$dir" \
		pamtester sechard-cli-test "$user" open_session 2>&1 |
		grep -F "refusing session for user \"$user\": " |
		sed "s/.*refusing session for user \"$user\": //" | head -n 1
}

# ------------------------------------------------------------------------
# Accounts (root only)

CLI_ETC_FILES="/etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/subuid
/etc/subgid"

cli_random_name() {
	printf 'shcli%s\n' "$(tr -dc 'a-z0-9' </dev/urandom | head -c 8)"
}

# Record the account files; cli_etc_verify fails the test if they change.
cli_etc_snapshot() {
	# shellcheck disable=SC2086
	CLI_ETC_SUMS=$(sha256sum $CLI_ETC_FILES 2>/dev/null)
}

cli_etc_verify() {
	local now

	# shellcheck disable=SC2086
	now=$(sha256sum $CLI_ETC_FILES 2>/dev/null)
	if [ "$now" = "$CLI_ETC_SUMS" ]; then
		cli_pass "/etc account files unchanged"
	else
		cli_fail "/etc account files unchanged" \
			"$(diff <(printf '%s\n' "$CLI_ETC_SUMS") <(printf '%s\n' "$now"))"
	fi
}

# cli_group_add VAR: create a group, removed on exit.
cli_group_add() {
	local name

	account_backups_keep "$CLI_TMP" cli_defer
	name=$(cli_random_name)
	groupadd "$name" || return 1
	cli_defer "groupdel '$name'"
	printf -v "$1" '%s' "$name"
}

# cli_user_add VAR [USERADD ARGS...]: create a user, removed on exit.
cli_user_add() {
	local var=$1
	local name

	shift
	account_backups_keep "$CLI_TMP" cli_defer
	name=$(cli_random_name)
	useradd -M -U -s /bin/sh "$@" "$name" || return 1
	cli_defer "userdel '$name'"
	printf -v "$var" '%s' "$name"
}
