// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pam_nohook: a PAM application that opens a session the way login
 * programs do, but whose child may skip the hook pam_sechard enforces from.
 *
 *   pam_nohook [--hook] CONFDIR SERVICE USER COMMAND [ARG...]
 *
 * Reads the stack SERVICE from CONFDIR (pam_start_confdir), opens a session
 * for USER, forks, and runs COMMAND in the child without changing user.
 * Without --hook the child execs at once, so no PAM call is ever made from
 * the child.  With --hook it first calls pam_end(..., PAM_DATA_SILENT), as
 * util-linux su and runuser do.  The parent waits, closes the session and
 * exits with the command's exit status (128 + signal if it was killed).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <security/pam_appl.h>

/* No module in the test stacks prompts; any prompt fails the session. */
static int refuse_conversation(int count, const struct pam_message **messages,
			       struct pam_response **responses, void *data)
{
	return PAM_CONV_ERR;
}

static int wait_for_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "pam_nohook: waitpid failed: %s\n",
			strerror(errno));
		return 1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void run_child(pam_handle_t *pamh, bool hook, char **command)
{
	if (hook)
		pam_end(pamh, PAM_SUCCESS | PAM_DATA_SILENT);

	execv(command[0], command);
	fprintf(stderr, "pam_nohook: cannot run %s: %s\n", command[0],
		strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	const struct pam_conv conversation = { refuse_conversation, NULL };
	pam_handle_t *pamh = NULL;
	bool hook = false;
	int exit_status;
	int result;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "--hook") == 0) {
		hook = true;
		argv++;
		argc--;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: pam_nohook [--hook] CONFDIR SERVICE "
			"USER COMMAND [ARG...]\n");
		return 2;
	}

	result = pam_start_confdir(argv[2], argv[3], &conversation, argv[1],
				   &pamh);
	if (result != PAM_SUCCESS) {
		fprintf(stderr, "pam_nohook: pam_start_confdir failed: %d\n",
			result);
		return 1;
	}

	result = pam_open_session(pamh, 0);
	if (result != PAM_SUCCESS) {
		fprintf(stderr, "pam_nohook: pam_open_session failed: %s\n",
			pam_strerror(pamh, result));
		pam_end(pamh, result);
		return 1;
	}

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pam_nohook: fork failed: %s\n",
			strerror(errno));
		pam_close_session(pamh, 0);
		pam_end(pamh, PAM_SUCCESS);
		return 1;
	}
	if (pid == 0)
		run_child(pamh, hook, argv + 4);

	exit_status = wait_for_child(pid);

	result = pam_close_session(pamh, 0);
	if (result != PAM_SUCCESS)
		fprintf(stderr, "pam_nohook: pam_close_session failed: %s\n",
			pam_strerror(pamh, result));
	pam_end(pamh, result);
	return exit_status;
}
