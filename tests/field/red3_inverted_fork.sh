#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Red team: a login program that forks the other way round, like systemd's
# user@ service.  The process that opens the session becomes the session
# (it executes the command itself, with no PAM call), and a forked child
# waits for it to end, then closes the session and ends the handle.  Newer
# systemd ends it with pam_end(..., PAM_DATA_SILENT) in that child, v252
# with plain pam_end.
#
# Under enforce=child nothing can be enforced in the session there, so the
# module must log that at LOG_ERR ("was never enforced").  It must not log
# that the profile was enforced in the cleanup child, which is about to
# exit and never was the session.  PASS when the error is logged and no
# false "enforced" line appears.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"
command -v gcc >/dev/null || sh_die_skip "gcc not installed"
sh_setup_accounts

APP=$SH_TMP/pam_inverted
cat >"$APP.c" <<'C'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <security/pam_appl.h>

static int no_conv(int n, const struct pam_message **m,
		   struct pam_response **r, void *d)
{
	return PAM_CONV_ERR;
}

/* pam_inverted SILENT(0|1) DONEFILE CONFDIR SERVICE USER COMMAND [ARG...] */
int main(int argc, char **argv)
{
	const struct pam_conv conv = { no_conv, NULL };
	pam_handle_t *pamh = NULL;
	int silent, fds[2], result;
	char byte;

	if (argc < 7)
		return 2;
	silent = argv[1][0] == '1';
	if (pam_start_confdir(argv[4], argv[5], &conv, argv[3], &pamh) !=
	    PAM_SUCCESS)
		return 1;
	result = pam_open_session(pamh, 0);
	if (result != PAM_SUCCESS) {
		fprintf(stderr, "pam_open_session failed: %s\n",
			pam_strerror(pamh, result));
		return 1;
	}
	if (pipe(fds) < 0)
		return 1;
	fflush(NULL);
	switch (fork()) {
	case -1:
		return 1;
	case 0:
		/* the cleanup child: wait for the session to end */
		close(fds[1]);
		while (read(fds[0], &byte, 1) < 0 && errno == EINTR)
			;
		pam_close_session(pamh, 0);
		pam_end(pamh, PAM_SUCCESS | (silent ? PAM_DATA_SILENT : 0));
		close(open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600));
		_exit(0);
	}
	/* the opener becomes the session; the write end stays open in it */
	close(fds[0]);
	execv(argv[6], argv + 6);
	return 127;
}
C
gcc -o "$APP" "$APP.c" -lpam || sh_die_skip "cannot build the test program"

sh_pam_service "$SH_TMP/pam-child" inverted "$SH_CONFIG"

run_case() {
	local label=$1
	local silent=$2
	local done=$SH_TMP/done.$silent
	local mark log nnp i

	mark=$(sh_log_mark)
	"$APP" "$silent" "$done" "$SH_TMP/pam-child" inverted \
		"$SH_USER_NAMED" "$SH_PROBE" status >"$SH_TMP/report" 2>&1 \
		</dev/null
	for ((i = 0; i < 100; i++)); do
		[ -e "$done" ] && break
		sleep 0.05
	done
	log=$(sh_log_since "$mark")
	nnp=$(awk '$1 == "NoNewPrivs:" { print $2 }' "$SH_TMP/report")

	if [ "$nnp" = 1 ]; then
		sh_pass "$label: session confined"
		return
	fi
	if grep -q 'was never enforced' <<<"$log" &&
		! grep -q 'enforced in child pid' <<<"$log"; then
		sh_pass "$label: unconfined session reported at LOG_ERR"
	else
		sh_fail "$label: unconfined session (NoNewPrivs ${nnp:-?}) not reported" \
			"log:" "$log"
	fi
}

run_case "cleanup child ends with PAM_DATA_SILENT (systemd >= 254)" 1
run_case "cleanup child ends without PAM_DATA_SILENT (systemd 252)" 0

sh_finish
