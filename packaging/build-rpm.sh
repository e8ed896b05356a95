#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the pam_sechard RPM from this source tree.
#
#   packaging/build-rpm.sh [OUTDIR] [RPMBUILD OPTION...]
#
# Makes pam_sechard-VERSION.tar.gz from the files git tracks and the
# untracked ones .gitignore does not exclude; outside a git checkout it
# takes everything but build/ and .git.  Then runs "rpmbuild -bb" with
# packaging/rpm/pam_sechard.spec in a temporary _topdir and copies the
# RPMs to OUTDIR (default build/packages/rpm).  Extra options go to
# rpmbuild; on a host without the BuildRequires installed through rpm
# (Debian, for instance) pass --nodeps.

set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
spec=$repo/packaging/rpm/pam_sechard.spec
outdir=${1:-$repo/build/packages/rpm}
[ $# -gt 0 ] && shift

version=$(rpmspec -q --srpm --qf '%{VERSION}' "$spec")
top=$(mktemp -d /tmp/sechard-rpm.XXXXXX)
trap 'rm -rf "$top"' EXIT
mkdir -p "$top"/{SOURCES,SPECS,BUILD,RPMS,SRPMS}

# list_files: NUL-separated paths, relative to the tree, to put in the
# tarball.
list_files() {
	if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$repo" ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' file; do
				# Tracked files deleted in the work tree are listed too.
				[ -e "$repo/$file" ] && printf '%s\0' "$file"
			done
	else
		(cd "$repo" && find . \( -path ./build -o -path ./.git \) -prune \
			-o ! -type d -printf '%P\0')
	fi
}

list_files | tar -C "$repo" --null -T - \
	--transform "s,^,pam_sechard-$version/," \
	-czf "$top/SOURCES/pam_sechard-$version.tar.gz"
cp "$spec" "$top/SPECS/"

rpmbuild --define "_topdir $top" -bb "$@" "$top/SPECS/pam_sechard.spec"

mkdir -p "$outdir"
find "$top/RPMS" -name '*.rpm' -exec cp {} "$outdir"/ \;
ls -1 "$outdir"/*.rpm
