// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * logsink: a minimal syslog receiver for the tests.
 *
 *   logsink SOCKET OUTPUT
 *
 * Binds a datagram socket at SOCKET (the tests bind-mount it over /dev/log
 * in a private mount namespace) and appends every message to OUTPUT, one
 * line each, with the priority decoded: "authpriv.err <rest of message>".
 * Runs until SIGTERM or SIGINT, then removes SOCKET.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

/* RFC 3164 caps a message at 1024 bytes; glibc may send more. */
#define SINK_MESSAGE_MAX 8192

static volatile sig_atomic_t stop_requested;

static void on_stop(int signo)
{
	stop_requested = 1;
}

static const char *facility_name(int facility)
{
	static const char *const names[] = {
		"kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
		"news", "uucp", "cron", "authpriv", "ftp",
	};

	if (facility >= 0 && (size_t)facility < sizeof(names) / sizeof(names[0]))
		return names[facility];
	return "local";
}

static const char *level_name(int level)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info",
		"debug",
	};

	return names[level & LOG_PRIMASK];
}

/*
 * Write one message as "FACILITY.LEVEL TEXT".  A message without a valid
 * "<PRI>" prefix is written as "unknown.unknown TEXT".
 */
static void write_message(FILE *output, char *message, size_t length)
{
	unsigned int priority = 0;
	int consumed = 0;

	while (length > 0 && (message[length - 1] == '\n' ||
			      message[length - 1] == '\0'))
		length--;
	message[length] = '\0';

	if (sscanf(message, "<%3u>%n", &priority, &consumed) == 1 &&
	    consumed > 0 && priority < 192) {
		fprintf(output, "%s.%s %s\n",
			facility_name((int)(priority >> 3)),
			level_name((int)priority), message + consumed);
	} else {
		fprintf(output, "unknown.unknown %s\n", message);
	}
	fflush(output);
}

static int bind_socket(const char *path)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(address.sun_path)) {
		fprintf(stderr, "logsink: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(address.sun_path, path);

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "logsink: socket failed: %s\n",
			strerror(errno));
		return -1;
	}

	/* Every user's session must be able to log, as with /dev/log. */
	umask(0);
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		fprintf(stderr, "logsink: bind %s failed: %s\n", path,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void install_stop_handlers(void)
{
	struct sigaction action = { .sa_handler = on_stop };

	/* No SA_RESTART: the blocked recv() must return on SIGTERM. */
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGINT, &action, NULL);
}

int main(int argc, char **argv)
{
	static char message[SINK_MESSAGE_MAX + 1];
	FILE *output;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: logsink SOCKET OUTPUT\n");
		return 2;
	}

	output = fopen(argv[2], "ae");
	if (!output) {
		fprintf(stderr, "logsink: cannot open %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}

	install_stop_handlers();
	fd = bind_socket(argv[1]);
	if (fd < 0)
		return 1;

	while (!stop_requested) {
		ssize_t length = recv(fd, message, SINK_MESSAGE_MAX, 0);

		if (length < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "logsink: recv failed: %s\n",
				strerror(errno));
			break;
		}
		write_message(output, message, (size_t)length);
	}

	close(fd);
	unlink(argv[1]);
	fclose(output);
	return 0;
}
