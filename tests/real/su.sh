#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# util-linux su with pam_sechard in its session stack, through pam_wrapper:
# "su USER -c", "su - USER -c", each with and without --pty.  Each kind of
# user gets exactly its profile's confinement, su itself stays unconfined
# under enforce=child, closes the session and returns the shell's exit
# status.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/lib.sh"

sh_init "$@"
sh_setup_accounts

for service in su su-l; do
	sh_pam_service "$SH_TMP/pam-ref" "$service" none
	sh_pam_service "$SH_TMP/pam-child" "$service" "$SH_CONFIG"
	sh_pam_service "$SH_TMP/pam-open" "$service" "$SH_CONFIG" enforce=open
done

run_su() {
	sh_pam_run "$1" su "$2" -c "$SH_SESSION"
}

run_su_login() {
	sh_pam_run "$1" su - -w "$SH_KEEP_ENV" "$2" -c "$SH_SESSION"
}

# script(1) gives su a terminal, without which --pty does nothing.
run_su_pty() {
	sh_pam_run "$1" script -q -e -c "su --pty $2 -c $SH_SESSION" /dev/null
}

run_su_login_pty() {
	sh_pam_run "$1" script -q -e -c "su - --pty -w $SH_KEEP_ENV $2 -c $SH_SESSION" \
		/dev/null
}

users="$SH_USER_NAMED $SH_USER_GROUPED $SH_USER_DEFAULT $SH_USER_UNCONFINED"

for user in $users; do
	sh_login_case "su $user -c" child "$user" su run_su
	sh_login_case "su - $user -c" child "$user" su run_su_login
	sh_login_case "su --pty $user -c" child "$user" su run_su_pty
	sh_login_case "su - --pty $user -c" child "$user" su run_su_login_pty
done

for user in "$SH_USER_NAMED" "$SH_USER_DEFAULT"; do
	sh_login_case "su $user -c" open "$user" su run_su
	sh_login_case "su - --pty $user -c" open "$user" su run_su_login_pty
done

sh_finish
