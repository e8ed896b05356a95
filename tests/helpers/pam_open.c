// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A minimal PAM application for module tests.
 *
 *   pam_open [--child pam_end|setcred|none] SERVICE USER
 *
 * Opens a session for USER and prints "open: RESULT".  Without --child the
 * session is used in this process, like sudo does.  With --child it forks,
 * and the child runs the given hook the way login programs do before they
 * execute a shell (pam_end with PAM_DATA_SILENT like su and login,
 * pam_setcred like sshd's per-user child, or nothing at all).  Each process
 * then prints its confinement as "parent|child Key: value" lines, and the
 * parent closes the session.  Exit status: 0 if the session opened, 1 if it
 * was refused, 2 on usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <security/pam_appl.h>

static int silent_conversation(int count, const struct pam_message **messages,
			       struct pam_response **responses, void *data)
{
	(void)count;
	(void)messages;
	(void)data;
	*responses = NULL;
	return PAM_CONV_ERR;
}

static void print_status(const char *who)
{
	static const char *const keys[] = { "CapInh:", "CapBnd:", "CapAmb:",
					    "NoNewPrivs:", "Seccomp:",
					    "Seccomp_filters:" };
	char line[256];
	FILE *status;
	size_t i;

	status = fopen("/proc/self/status", "re");
	if (!status)
		return;
	while (fgets(line, sizeof(line), status)) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strncmp(line, keys[i], strlen(keys[i])) == 0)
				printf("%s %s", who, line);
		}
	}
	fclose(status);
	fflush(stdout);
}

static int run_child(pam_handle_t *pamh, const char *hook)
{
	if (strcmp(hook, "pam_end") == 0)
		pam_end(pamh, PAM_SUCCESS | PAM_DATA_SILENT);
	else if (strcmp(hook, "setcred") == 0)
		printf("child setcred: %s\n",
		       pam_strerror(pamh, pam_setcred(pamh, PAM_ESTABLISH_CRED)));
	print_status("child");
	return 0;
}

int main(int argc, char **argv)
{
	struct pam_conv conversation = { silent_conversation, NULL };
	const char *hook = NULL;
	pam_handle_t *pamh = NULL;
	int status, r;
	pid_t child;

	if (argc == 5 && strcmp(argv[1], "--child") == 0) {
		hook = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: pam_open [--child pam_end|setcred|none] SERVICE USER\n");
		return 2;
	}

	r = pam_start(argv[1], argv[2], &conversation, &pamh);
	if (r != PAM_SUCCESS) {
		fprintf(stderr, "pam_start: %s\n", pam_strerror(pamh, r));
		return 2;
	}

	r = pam_open_session(pamh, 0);
	printf("open: %s\n", pam_strerror(pamh, r));
	if (r != PAM_SUCCESS) {
		/* a refused session must leave the caller as it was */
		print_status("parent");
		pam_end(pamh, r);
		return 1;
	}

	if (hook) {
		fflush(stdout);
		child = fork();
		if (child == 0)
			_exit(run_child(pamh, hook));
		waitpid(child, &status, 0);
	}
	print_status("parent");

	r = pam_close_session(pamh, 0);
	printf("close: %s\n", pam_strerror(pamh, r));
	pam_end(pamh, r);
	return 0;
}
