#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the libpam-sechard .deb, install it, enable it with pam-auth-update,
# confine one test user through a real login program, then purge the
# package and check that the host is back to its earlier state.
#
# Needs root, dpkg-buildpackage, debhelper, fakeroot and the Build-Depends of
# packaging/debian/control; skips with exit status 77 and a reason when one
# is missing.  Refuses to run (skip) when libpam-sechard is already
# installed, because purging it would throw away the administrator's state.
#
# What the test changes on the host and puts back:
#   /etc/pam.d/common-*        through pam-auth-update; compared by sha256
#                              after the purge and restored from a copy
#                              if they differ or the test stops early
#   /etc/security/sechard.conf and every other path the package installs:
#                              a file already there (from "make install")
#                              is moved aside and moved back at the end
#   one user, sechardpkgNNNN   created with useradd, removed with userdel
# pam-auth-update also rewrites the debconf value libpam-runtime/profiles,
# which lists the same enabled profiles before and after the test.
#
# Debian 12's /etc/pam.d/runuser has its own session lines and does not
# include common-session, so the login goes through su, whose stack does.

set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
PACKAGE=libpam-sechard
DEFAULT_CONFIG=$REPO/packaging/sechard.conf.default
STATE_DIRS="/etc/pam.d /usr/share/pam-configs /var/lib/pam"

export DEBIAN_FRONTEND=noninteractive

failures=0
tmp=
test_user=
package_paths=()
moved_aside=()

pass() {
	printf 'PASS %s\n' "$1"
}

fail() {
	failures=$((failures + 1))
	printf 'FAIL %s\n' "$1"
	shift
	while [ $# -gt 0 ]; do
		printf '%s\n' "$1" | sed 's/^/     /'
		shift
	done
}

skip() {
	printf 'SKIP %s: %s\n' "${0##*/}" "$1"
	exit 77
}

# check NAME CMD...: one PASS or FAIL line for the exit status of CMD.
check() {
	local name=$1

	shift
	if "$@"; then
		pass "$name"
	else
		fail "$name"
	fi
}

# ------------------------------------------------------------------------
# Preconditions

require_tools() {
	local tool missing=

	[ "$(id -u)" -eq 0 ] || skip "needs root (installs a package)"
	for tool in dpkg-buildpackage dpkg-checkbuilddeps dh fakeroot dpkg \
		pam-auth-update useradd userdel su sha256sum; do
		command -v "$tool" >/dev/null 2>&1 || missing+=" $tool"
	done
	[ -z "$missing" ] || skip "missing tools:$missing (apt-get install dpkg-dev debhelper fakeroot)"

	missing=$(dpkg-checkbuilddeps "$REPO/packaging/debian/control" 2>&1) ||
		skip "missing build dependencies: ${missing##*: }"

	if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null |
		grep -q 'installed'; then
		skip "$PACKAGE is already installed; purging it would lose its configuration"
	fi
	if grep -qs pam_sechard /etc/pam.d/common-*; then
		skip "pam_sechard is already in /etc/pam.d/common-*"
	fi
}

# ------------------------------------------------------------------------
# State of the host before and after

snapshot_state() {
	find $STATE_DIRS -type f -print0 2>/dev/null | sort -z |
		xargs -0 -r sha256sum
	find $STATE_DIRS -print 2>/dev/null | sort
}

# Restore /etc/pam.d from the copy taken at the start: the last line of
# defence that keeps the module out of the host's PAM stacks.
restore_pam_stacks() {
	local now

	now=$(snapshot_state)
	[ "$now" = "$STATE_BEFORE" ] && return 0

	echo "restoring $STATE_DIRS from the copy taken before the test" >&2
	rm -rf /etc/pam.d /var/lib/pam
	cp -a "$tmp/backup/pam.d" /etc/pam.d
	cp -a "$tmp/backup/var-lib-pam" /var/lib/pam
	rm -f /usr/share/pam-configs/sechard
}

# useradd and userdel rewrite the "-" backups of the account files, and
# pam-auth-update and dpkg rewrite files in /etc/pam.d and /etc/security
# with the same content.  Keep the backups and the times of what the test
# touches, so that /etc is left exactly as it was.
keep_etc_details() {
	mkdir -m 0700 "$tmp/etc-details"
	cp -a /etc/*- "$tmp/etc-details/" 2>/dev/null
	sha256sum /etc/passwd /etc/group /etc/shadow /etc/gshadow \
		/etc/subuid /etc/subgid >"$tmp/etc-details/sums" 2>/dev/null
	touch -r /etc/security "$tmp/etc-details/security.time"
}

# Put the backups and times back where the content is as it was.
restore_etc_details() {
	local file name

	[ -d "$tmp/etc-details" ] || return 0
	if sha256sum --status -c "$tmp/etc-details/sums" 2>/dev/null; then
		cp -a "$tmp"/etc-details/*- /etc/ 2>/dev/null
	fi
	for file in "$tmp"/backup/pam.d/*; do
		name=/etc/pam.d/${file##*/}
		if [ -f "$name" ] && [ ! -L "$name" ] && cmp -s "$file" "$name"; then
			touch -r "$file" "$name"
		fi
	done
	touch -r "$tmp/backup/pam.d" /etc/pam.d
	touch -r "$tmp/etc-details/security.time" /etc/security
}

package_present() {
	dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null |
		grep -qv 'not-installed'
}

# A dpkg run that a signal stopped can leave its maintainer scripts holding
# the dpkg lock for a moment, so the purge is retried.
purge_leftover_package() {
	local attempt

	package_present || return 0
	pam-auth-update --package --remove sechard >/dev/null 2>&1
	for attempt in 1 2 3 4 5; do
		dpkg --purge "$PACKAGE" >/dev/null 2>&1
		package_present || return 0
		sleep 1
	done
	echo "$PACKAGE is still installed; run: dpkg --purge $PACKAGE" >&2
	return 1
}

cleanup() {
	local status=$?
	local path

	trap - EXIT INT TERM
	purge_leftover_package
	[ -n "$tmp" ] && [ -n "${STATE_BEFORE:-}" ] && restore_pam_stacks

	for path in "${moved_aside[@]}"; do
		mkdir -p "$(dirname "$path")"
		mv -f "$tmp/aside$path" "$path"
	done
	if [ -n "$test_user" ] && id "$test_user" >/dev/null 2>&1; then
		userdel "$test_user" >/dev/null 2>&1
	fi
	[ -n "$tmp" ] && restore_etc_details
	[ -n "$tmp" ] && rm -rf "$tmp"
	exit "$status"
}

# Move away files that the package would overwrite and its purge delete.
move_aside_existing() {
	local path

	for path in "${package_paths[@]}"; do
		[ -e "$path" ] || [ -L "$path" ] || continue
		mkdir -p "$tmp/aside$(dirname "$path")"
		mv "$path" "$tmp/aside$path"
		moved_aside+=("$path")
	done
}

# ------------------------------------------------------------------------
# Steps

build_package() {
	if ! DEB_BUILD_OPTIONS=nocheck "$REPO/packaging/build-deb.sh" \
		"$tmp/deb" >"$tmp/build.log" 2>&1; then
		fail "package builds" "$(tail -n 40 "$tmp/build.log")"
		exit 1
	fi
	pass "package builds"
	DEB=$(ls "$tmp"/deb/${PACKAGE}_*.deb)

	# Paths of the files (not folders) in the package, without the "./".
	mapfile -t package_paths < <(dpkg-deb --fsys-tarfile "$DEB" |
		tar -tvf - | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')
}

# last_line FILE TYPE: the last line of FILE that configures TYPE.
last_line() {
	grep -E "^$2[[:space:]]" "$1" | tail -n 1
}

check_enabled_stacks() {
	local stack line

	line=$(last_line /etc/pam.d/common-session session)
	if [[ $line =~ ^session[[:space:]]+required[[:space:]]+pam_sechard\.so[[:space:]]*$ ]]; then
		pass "session line last in common-session"
	else
		fail "session line last in common-session" \
			"last session line: \"$line\""
	fi

	# sudo, cron and systemd-user include the noninteractive stack and
	# need enforce=open, which the administrator adds by hand.
	if grep -q pam_sechard /etc/pam.d/common-session-noninteractive; then
		fail "no session line in common-session-noninteractive" \
			"$(grep pam_sechard /etc/pam.d/common-session-noninteractive)"
	else
		pass "no session line in common-session-noninteractive"
	fi

	line=$(last_line /etc/pam.d/common-auth auth)
	if [[ $line =~ ^auth[[:space:]]+optional[[:space:]]+pam_sechard\.so[[:space:]]*$ ]]; then
		pass "auth optional line in common-auth"
	else
		fail "auth optional line in common-auth" \
			"last auth line: \"$line\""
	fi
}

# login_status: /proc/self/status of a shell that su started for the test
# user through /etc/pam.d/su, which includes common-session.
login_status() {
	su -s /bin/sh -c 'cat /proc/self/status' "$test_user" 2>"$tmp/su.err"
}

# status_field TEXT NAME: the value of NAME in a /proc/PID/status text.
status_field() {
	awk -v name="$2:" '$1 == name { print $2 }' <<<"$1"
}

check_unconfined_login() {
	local name=$1
	local status

	if ! status=$(login_status); then
		fail "$name" "su failed: $(cat "$tmp/su.err")"
		return
	fi
	if [ "$(status_field "$status" NoNewPrivs)" = 0 ] &&
		[ "$(status_field "$status" Seccomp)" = 0 ]; then
		pass "$name"
	else
		fail "$name" "$(grep -E 'NoNewPrivs|Seccomp|CapBnd' <<<"$status")"
	fi
}

check_confined_login() {
	local status

	install -m 0644 -o root -g root /dev/stdin \
		/etc/security/sechard.conf <<-EOF
		[global]
		default = unconfined

		[users]
		unconfined = root
		tenant = $test_user

		$(sed -n '/^\[profile baseline\]/,$p' "$DEFAULT_CONFIG")
	EOF

	if ! status=$(login_status); then
		fail "tenant login through su" "su failed: $(cat "$tmp/su.err")"
		return
	fi
	pass "tenant login through su"
	check "tenant NoNewPrivs set" \
		test "$(status_field "$status" NoNewPrivs)" = 1
	check "tenant seccomp filter" \
		test "$(status_field "$status" Seccomp)" = 2
	check "tenant bounding set empty" \
		test "$(status_field "$status" CapBnd)" = 0000000000000000
}

check_purged() {
	local path left=() now

	for path in "${package_paths[@]}"; do
		[ -e "$path" ] || [ -L "$path" ] && left+=("$path")
	done
	if [ "${#left[@]}" -eq 0 ]; then
		pass "purge removes every packaged file"
	else
		fail "purge removes every packaged file" "${left[@]}"
	fi

	now=$(snapshot_state)
	if [ "$now" = "$STATE_BEFORE" ]; then
		pass "PAM stacks byte-identical after purge"
	else
		fail "PAM stacks byte-identical after purge" \
			"$(diff <(echo "$STATE_BEFORE") <(echo "$now"))"
	fi
}

# ------------------------------------------------------------------------

main() {
	local multiarch stacks_installed

	require_tools
	tmp=$(mktemp -d /tmp/sechard-debtest.XXXXXX)
	chmod 0755 "$tmp"
	trap cleanup EXIT
	trap 'exit 1' INT TERM

	build_package

	mkdir -p "$tmp/backup"
	cp -a /etc/pam.d "$tmp/backup/pam.d"
	cp -a /var/lib/pam "$tmp/backup/var-lib-pam"
	keep_etc_details
	STATE_BEFORE=$(snapshot_state)
	move_aside_existing

	if ! dpkg -i "$DEB" >"$tmp/dpkg.log" 2>&1; then
		fail "dpkg -i" "$(cat "$tmp/dpkg.log")"
		exit 1
	fi
	pass "dpkg -i"

	multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null ||
		gcc -print-multiarch)
	check "module in /lib/$multiarch/security" \
		test -f "/lib/$multiarch/security/pam_sechard.so"
	check "default config installed" \
		cmp -s /etc/security/sechard.conf "$DEFAULT_CONFIG"
	check "config is a conffile" \
		grep -qx /etc/security/sechard.conf \
		"/var/lib/dpkg/info/$PACKAGE.conffiles"
	if compgen -G "$REPO/cli/*.c" >/dev/null; then
		check "CLI installed in /usr/bin" test -x /usr/bin/sechard
		check "sechard check accepts the default config" \
			/usr/bin/sechard check --config /etc/security/sechard.conf
	fi
	stacks_installed=$(snapshot_state | grep ' /etc/pam.d/')
	check "install leaves PAM stacks alone" \
		test "$stacks_installed" = "$(grep ' /etc/pam.d/' <<<"$STATE_BEFORE")"

	if ! pam-auth-update --enable sechard >"$tmp/pam-auth-update.log" 2>&1; then
		fail "pam-auth-update --enable sechard" \
			"$(cat "$tmp/pam-auth-update.log")"
		exit 1
	fi
	pass "pam-auth-update --enable sechard"
	check_enabled_stacks

	test_user=sechardpkg$$
	if ! useradd -M -N -d / -s /bin/sh "$test_user"; then
		fail "useradd $test_user"
		exit 1
	fi

	check_unconfined_login "default config confines nobody"
	cp -p /etc/security/sechard.conf "$tmp/sechard.conf.installed"
	check_confined_login
	cp -p "$tmp/sechard.conf.installed" /etc/security/sechard.conf
	check_unconfined_login "restored default unconfined again"

	if dpkg --purge "$PACKAGE" >"$tmp/dpkg.log" 2>&1; then
		pass "dpkg --purge"
	else
		fail "dpkg --purge" "$(cat "$tmp/dpkg.log")"
	fi
	check_purged

	printf '%s: %d failed\n' "${0##*/}" "$failures"
	[ "$failures" -eq 0 ]
}

main "$@"
