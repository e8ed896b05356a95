#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The configuration the packages install confines no user until an
# administrator maps users.  Its ready profiles must still be the ones that
# docs/profiles.md describes and the tests check: the profile sections of
# packaging/sechard.conf.default equal those of conf/sechard.conf, byte for
# byte, and "sechard check" finds no error in it.  Needs no root.

set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SECHARD=$REPO/build/sechard
PACKAGED=$REPO/packaging/sechard.conf.default
SHIPPED=$REPO/conf/sechard.conf
MARKER='; Every user: refuse what no ordinary session needs, keep the rest working.'
failures=0

if [ ! -x "$SECHARD" ]; then
	echo "SKIP default-config.sh: $SECHARD not built; run make"
	exit 77
fi

# profiles FILE: the file from the comment above the first profile on.
profiles() {
	sed -n "/^$MARKER\$/,\$p" "$1"
}

if [ -n "$(profiles "$SHIPPED")" ] &&
	cmp -s <(profiles "$SHIPPED") <(profiles "$PACKAGED"); then
	echo "PASS packaged profiles equal conf/sechard.conf"
else
	echo "FAIL packaged profiles equal conf/sechard.conf"
	diff <(profiles "$SHIPPED") <(profiles "$PACKAGED") | sed 's/^/     /'
	failures=$((failures + 1))
fi

# sh_config_load() takes only files that no other user may write.
tmp=$(mktemp -d /tmp/sechard-pkgconf.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
cp "$PACKAGED" "$tmp/sechard.conf"
chmod 0644 "$tmp/sechard.conf"
if output=$("$SECHARD" check --config "$tmp/sechard.conf" 2>&1); then
	echo "PASS sechard check accepts the packaged configuration"
else
	echo "FAIL sechard check accepts the packaged configuration"
	printf '%s\n' "$output" | sed 's/^/     /'
	failures=$((failures + 1))
fi

echo "default-config.sh: $((2 - failures)) passed, $failures failed, 0 skipped"
[ "$failures" -eq 0 ]
