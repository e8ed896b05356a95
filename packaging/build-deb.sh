#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the libpam-sechard binary package from this source tree.
#
#   packaging/build-deb.sh [OUTDIR]
#
# dpkg-buildpackage expects debian/ at the top of the source tree, but the
# tree keeps it under packaging/.  So the script copies the tree to a
# temporary folder and puts packaging/debian there as debian/.  The copy
# holds the files git tracks and the untracked ones .gitignore does not
# exclude; outside a git checkout it holds everything but build/ and .git.
# Then it builds with "dpkg-buildpackage -us -uc -b" and copies the results
# to OUTDIR (default build/packages/deb).  When lintian is installed it
# checks the .changes file, and the script fails on lintian errors.
#
# DEB_BUILD_OPTIONS is passed through, e.g. DEB_BUILD_OPTIONS=nocheck.
# Needs: dpkg-dev, debhelper, fakeroot and the Build-Depends of
# packaging/debian/control ("dpkg-checkbuilddeps" lists the missing ones).

set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
outdir=${1:-$repo/build/packages/deb}
work=$(mktemp -d /tmp/sechard-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT

src=$work/libpam-sechard

copy_tree() {
	mkdir -p "$src"
	if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$repo" &&
			git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' file; do
				# Tracked files deleted in the work tree are listed too.
				[ -e "$file" ] && printf '%s\0' "$file"
			done |
			tar --null -T - -cf -) | tar -xf - -C "$src"
	else
		tar -C "$repo" --exclude=./build --exclude=./.git -cf - . |
			tar -xf - -C "$src"
	fi
	rm -rf "$src/debian" "$src/build"
	cp -a "$repo/packaging/debian" "$src/debian"
}

copy_tree
(cd "$src" && dpkg-checkbuilddeps && dpkg-buildpackage -us -uc -b)

mkdir -p "$outdir"
find "$work" -maxdepth 1 -type f \
	\( -name '*.deb' -o -name '*.ddeb' -o -name '*.buildinfo' \
	-o -name '*.changes' \) -exec cp {} "$outdir"/ \;

changes=$(find "$work" -maxdepth 1 -name '*.changes' | head -n 1)
if command -v lintian >/dev/null 2>&1; then
	# Overrides in debian/*.lintian-overrides are honoured; "--fail-on
	# error" makes only errors fatal, and the warnings left are explained
	# in docs/packaging.md.
	# lintian leaves scratch folders in TMPDIR; keep them in ours.
	mkdir "$work/lintian-tmp"
	TMPDIR=$work/lintian-tmp lintian --info --display-info --fail-on error \
		"$changes"
else
	echo "lintian is not installed; the package was not checked" >&2
fi

ls -1 "$outdir"/*.deb
