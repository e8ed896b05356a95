# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# useradd, userdel, groupadd and groupdel rewrite the "-" backups of the
# account files (/etc/passwd- and so on).  Tests that create accounts copy
# the backups before the first change and put them back after the last
# userdel or groupdel.  They do so only when the account files are as they
# were at the start, because a test running at the same time may be
# changing them.  Sourced by tests/real/lib.sh and tests/cli/lib.sh.

ACCOUNT_FILES="/etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/subuid
/etc/subgid"

# account_backups_keep DIR DEFER: keep the copy in DIR and register its
# restore with the cleanup function DEFER, once per test.
account_backups_keep() {
	local dir=$1
	local defer=$2

	[ -e "$dir/account-backups" ] && return 0

	mkdir -m 0700 "$dir/account-backups"
	cp -a /etc/*- "$dir/account-backups/" 2>/dev/null
	# shellcheck disable=SC2086 # a list of paths
	sha256sum $ACCOUNT_FILES >"$dir/account-sums" 2>/dev/null
	"$defer" "account_backups_restore '$dir'"
}

account_backups_restore() {
	local dir=$1

	sha256sum --status -c "$dir/account-sums" 2>/dev/null || return 0
	cp -a "$dir"/account-backups/*- /etc/ 2>/dev/null
	return 0
}
