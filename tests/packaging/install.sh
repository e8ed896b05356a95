#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Check that "make install" and "make uninstall" agree: install into a
# temporary DESTDIR, uninstall from it, and expect nothing left but
# folders and etc/security/sechard.conf, which uninstall keeps on purpose
# because it is the administrator's policy.  Also checks that a second
# install keeps an edited configuration.
#
# Needs no root.  Runs make in the source tree, so the tree must build.

set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
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

command -v make >/dev/null 2>&1 || {
	echo "SKIP ${0##*/}: make is not installed"
	exit 77
}

destdir=$(mktemp -d /tmp/sechard-install.XXXXXX)
trap 'rm -rf "$destdir"' EXIT

# Paths stay fixed so that the test does not depend on what pkg-config
# reports for PAM on this machine.
make_args=(-C "$REPO" DESTDIR="$destdir" PREFIX=/usr
	PAMDIR=/lib/security BINDIR=/usr/bin SYSCONFDIR=/etc)
config=$destdir/etc/security/sechard.conf

if ! make "${make_args[@]}" install >"$destdir.log" 2>&1; then
	fail "make install" "$(tail -n 30 "$destdir.log")"
	rm -f "$destdir.log"
	exit 1
fi
pass "make install"

if [ -f "$destdir/lib/security/pam_sechard.so" ]; then
	pass "module installed in PAMDIR"
else
	fail "module installed in PAMDIR"
fi

if compgen -G "$REPO/cli/*.c" >/dev/null; then
	if [ -x "$destdir/usr/bin/sechard" ]; then
		pass "CLI installed in BINDIR"
	else
		fail "CLI installed in BINDIR"
	fi
fi

for page in "$REPO"/docs/*.[158]; do
	[ -e "$page" ] || continue
	name=${page##*/}
	if [ -f "$destdir/usr/share/man/man${name##*.}/$name" ]; then
		pass "man page $name installed"
	else
		fail "man page $name installed"
	fi
done

if cmp -s "$config" "$REPO/conf/sechard.conf"; then
	pass "config installed from conf/sechard.conf"
else
	fail "config installed from conf/sechard.conf"
fi

# An existing configuration is the administrator's and must survive.
echo "; edited" >>"$config"
cp "$config" "$destdir.edited"
make "${make_args[@]}" install >"$destdir.log" 2>&1
if cmp -s "$config" "$destdir.edited"; then
	pass "reinstall keeps edited config"
else
	fail "reinstall keeps edited config"
fi
rm -f "$destdir.edited"

if ! make "${make_args[@]}" uninstall >"$destdir.log" 2>&1; then
	fail "make uninstall" "$(tail -n 30 "$destdir.log")"
else
	pass "make uninstall"
fi
rm -f "$destdir.log"

left=$(cd "$destdir" && find . ! -type d ! -path ./etc/security/sechard.conf)
if [ -z "$left" ]; then
	pass "uninstall leaves only folders and the config"
else
	fail "uninstall leaves only folders and the config" "$left"
fi

if [ -f "$config" ]; then
	pass "uninstall keeps the config"
else
	fail "uninstall keeps the config"
fi

printf '%s: %d failed\n' "${0##*/}" "$failures"
[ "$failures" -eq 0 ]
