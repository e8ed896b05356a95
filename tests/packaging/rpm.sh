#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Check the RPM spec.  rpmspec must parse it, and "--without apparmor" must
# stop with an explanation while lib/lsm.c needs libapparmor.  Then
# packaging/build-rpm.sh builds a binary RPM with "rpmbuild -bb --nodeps",
# because a Debian host has the Fedora BuildRequires in no rpm database.
# Last, the RPM must contain the files and flags the spec promises.
#
# Needs rpmbuild and rpmspec (Debian package "rpm"); skips with exit status
# 77 otherwise.  Needs no root.

set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SPEC=$REPO/packaging/rpm/pam_sechard.spec
failures=0

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

for tool in rpmbuild rpmspec rpm; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "SKIP ${0##*/}: $tool is not installed (apt-get install rpm)"
		exit 77
	}
done

tmp=$(mktemp -d /tmp/sechard-rpmtest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if rpmspec -P "$SPEC" >"$tmp/parsed" 2>"$tmp/err"; then
	pass "rpmspec parses the spec"
else
	fail "rpmspec parses the spec" "$(cat "$tmp/err")"
fi

if ! rpmspec -P --without apparmor "$SPEC" >/dev/null 2>"$tmp/err" &&
	grep -q 'libapparmor' "$tmp/err"; then
	pass "--without apparmor stops with a reason"
else
	fail "--without apparmor stops with a reason" "$(cat "$tmp/err")"
fi

if ! "$REPO/packaging/build-rpm.sh" "$tmp/out" --nodeps \
	>"$tmp/build.log" 2>&1; then
	fail "rpmbuild -bb builds" "$(tail -n 40 "$tmp/build.log")"
	exit 1
fi
pass "rpmbuild -bb builds"

rpm_file=$(ls "$tmp"/out/pam_sechard-[0-9]*.rpm | head -n 1)
files=$(rpm -qlp "$rpm_file" 2>/dev/null)
libdir=$(rpm --eval '%{_libdir}')
for path in "$libdir/security/pam_sechard.so" /usr/bin/sechard \
	/etc/security/sechard.conf; do
	if grep -qx "$path" <<<"$files"; then
		pass "RPM contains $path"
	else
		fail "RPM contains $path"
	fi
done

if rpm -qp --configfiles "$rpm_file" 2>/dev/null |
	grep -qx /etc/security/sechard.conf &&
	rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' "$rpm_file" |
	grep -qx '/etc/security/sechard.conf cn'; then
	pass "config is %config(noreplace)"
else
	fail "config is %config(noreplace)"
fi

# "rpm --dump" gives each file's digest, sha256 for rpm 4.14 and later.
packaged_digest=$(rpm -qp --dump "$rpm_file" 2>/dev/null |
	awk '$1 == "/etc/security/sechard.conf" { print $4 }')
default_digest=$(sha256sum "$REPO/packaging/sechard.conf.default" |
	cut -d' ' -f1)
if [ -n "$packaged_digest" ] && [ "$packaged_digest" = "$default_digest" ]; then
	pass "config is the default that confines nobody"
else
	fail "config is the default that confines nobody" \
		"packaged $packaged_digest, default $default_digest"
fi

printf '%s: %d failed\n' "${0##*/}" "$failures"
[ "$failures" -eq 0 ]
