// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * oci_probe: report the seccomp verdict for each syscall named on the
 * command line, as "NAME=NUMBER" arguments, one "NAME VERDICT" line each:
 *
 *   OK          the call reached the kernel (any result but EPERM/ENOSYS)
 *   EPERM       the call failed with EPERM
 *   ENOSYS      the call failed with ENOSYS
 *   KILLED      the process was killed by SIGSYS
 *
 * tests/field/oci_runc.sh runs it under runc and under sh_filter_build()
 * and compares the two outputs, so the probe needs no libc beyond a static
 * one and makes each call in a forked child.  Every argument is -1: file
 * descriptors are then invalid, pointers fault and sizes overflow, so each
 * call fails in the kernel before it does anything.  EPERM from the kernel
 * itself (a missing capability) reads the same as a seccomp denial, which
 * is why both runs keep the same capabilities.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Longest a call may block (pause, for instance) before it counts as run. */
#define PROBE_TIMEOUT_MS 2000

/* Syscalls that the probe never makes, even with invalid arguments. */
static const char *const skipped[] = {
	"reboot", "kexec_load", "kexec_file_load", "vhangup",
};

/* Run syscall NUMBER in this child and write its errno to FD. */
static void call_in_child(long number, int fd)
{
	pid_t self = getpid();
	long ret;
	int code;

	ret = syscall(number, -1L, -1L, -1L, -1L, -1L, -1L);
	code = ret < 0 ? errno : 0;

	/* fork() and vfork() return 0 in a new process: let only one report. */
	if (syscall(SYS_getpid) != self)
		_exit(0);

	if (write(fd, &code, sizeof(code)) != sizeof(code))
		_exit(1);
	_exit(0);
}

static const char *verdict(int code)
{
	switch (code) {
	case EPERM:
		return "EPERM";
	case ENOSYS:
		return "ENOSYS";
	default:
		return "OK";
	}
}

static int probe(const char *name, long number)
{
	struct pollfd pfd;
	int pipe_fd[2], status, code = 0;
	const char *result = "OK";
	pid_t child;

	if (pipe(pipe_fd) < 0)
		return -1;

	child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		close(pipe_fd[0]);
		call_in_child(number, pipe_fd[1]);
	}
	close(pipe_fd[1]);

	pfd.fd = pipe_fd[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, PROBE_TIMEOUT_MS) == 1 &&
	    read(pipe_fd[0], &code, sizeof(code)) == sizeof(code))
		result = verdict(code);
	else
		kill(child, SIGKILL);
	close(pipe_fd[0]);

	if (waitpid(child, &status, 0) < 0)
		return -1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		result = "KILLED";

	printf("%s %s\n", name, result);
	fflush(stdout);
	return 0;
}

static int is_skipped(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		if (strcmp(name, skipped[i]) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char name[64], *end;
	const char *equals;
	long number;
	int i;

	for (i = 1; i < argc; i++) {
		equals = strchr(argv[i], '=');
		if (!equals || (size_t)(equals - argv[i]) >= sizeof(name)) {
			fprintf(stderr, "oci_probe: expected NAME=NUMBER, got \"%s\"\n",
				argv[i]);
			return 2;
		}
		memcpy(name, argv[i], (size_t)(equals - argv[i]));
		name[equals - argv[i]] = '\0';

		errno = 0;
		number = strtol(equals + 1, &end, 10);
		if (errno || *end || end == equals + 1 || number < 0) {
			fprintf(stderr, "oci_probe: invalid syscall number in \"%s\"\n",
				argv[i]);
			return 2;
		}

		if (is_skipped(name)) {
			printf("%s SKIPPED\n", name);
			continue;
		}
		if (probe(name, number) < 0) {
			fprintf(stderr, "oci_probe: %s: %s\n", name,
				strerror(errno));
			return 1;
		}
	}
	return 0;
}
