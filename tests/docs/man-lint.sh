#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Render every man page under docs/ with mandoc's linter and with man(1),
# and fail on any warning either of them prints.  Exits 77 when mandoc is
# not installed.

cd "$(dirname "$0")/../.." || exit 1

if ! command -v mandoc >/dev/null; then
	echo "SKIP: mandoc is not installed (apt-get install mandoc)"
	exit 77
fi

status=0
pages=0

for page in docs/*.[1-8]; do
	[ -e "$page" ] || continue
	pages=$((pages + 1))

	lint=$(mandoc -T lint -W warning "$page" 2>&1)
	if [ -n "$lint" ]; then
		echo "FAIL: mandoc -T lint $page:"
		printf '%s\n' "$lint"
		status=1
	fi

	if command -v man >/dev/null; then
		# groff prints its warnings on stderr; the page itself is dropped.
		render=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" 2>&1 >/dev/null)
		if [ -n "$render" ]; then
			echo "FAIL: man -l $page:"
			printf '%s\n' "$render"
			status=1
		fi
	fi
done

if [ "$pages" -eq 0 ]; then
	echo "FAIL: no man pages found under docs/"
	exit 1
fi

[ "$status" -eq 0 ] && echo "PASS: $pages man pages render without warnings"
exit "$status"
