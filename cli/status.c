// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sechard status [PID]: the confinement of a running process, read from
 * /proc/PID/status and the LSM attribute files.  Without PID it reports
 * the sechard process itself, which shows what the calling shell passed
 * on to its children.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Fields of /proc/PID/status that describe confinement, in report order. */
static const char *const status_fields[] = {
	"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
	"NoNewPrivs", "Seccomp", "Seccomp_filters",
};

#define STATUS_FIELDS (sizeof(status_fields) / sizeof(status_fields[0]))

struct process_status {
	char values[STATUS_FIELDS][64];
	bool found[STATUS_FIELDS];
	char selinux[256];	/* attr/current, "" if absent */
	char apparmor[256];	/* attr/apparmor/current, "" if absent */
};

static void read_fields(FILE *file, struct process_status *ret)
{
	char line[512];
	size_t i;

	while (fgets(line, sizeof(line), file)) {
		char *colon = strchr(line, ':');
		char *value;

		if (!colon)
			continue;
		*colon = '\0';
		value = colon + 1 + strspn(colon + 1, " \t");
		value[strcspn(value, "\n")] = '\0';
		for (i = 0; i < STATUS_FIELDS; i++) {
			if (strcmp(line, status_fields[i]) != 0)
				continue;
			snprintf(ret->values[i], sizeof(ret->values[i]), "%s",
				 value);
			ret->found[i] = true;
		}
	}
}

/* Read a small attribute file into buf; "" when it is missing or empty. */
static void read_attr(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0) {
		buf[0] = '\0';
		return;
	}
	buf[n] = '\0';
	/* labels end in a newline or a NUL */
	buf[strcspn(buf, "\n")] = '\0';
}

static int read_status(const char *pid, struct process_status *ret)
{
	char path[64];
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	file = fopen(path, "re");
	if (!file)
		return -errno;
	read_fields(file, ret);
	fclose(file);

	snprintf(path, sizeof(path), "/proc/%s/attr/current", pid);
	read_attr(path, ret->selinux, sizeof(ret->selinux));
	snprintf(path, sizeof(path), "/proc/%s/attr/apparmor/current", pid);
	read_attr(path, ret->apparmor, sizeof(ret->apparmor));
	return 0;
}

static bool is_cap_field(size_t index)
{
	return strncmp(status_fields[index], "Cap", 3) == 0;
}

static int parse_mask(const char *text, uint64_t *ret)
{
	char *end;

	errno = 0;
	*ret = strtoull(text, &end, 16);
	if (errno || end == text || *end)
		return -EINVAL;
	return 0;
}

/* True when MASK contains every capability the running kernel supports. */
static bool is_full_set(uint64_t mask)
{
	int last = sh_caps_last_cap();

	if (last < 0 || last > 63)
		return false;
	return mask == (last == 63 ? UINT64_MAX :
				     (UINT64_C(1) << (last + 1)) - 1);
}

static void print_text(const char *pid, const struct process_status *status)
{
	uint64_t mask;
	size_t i;

	printf("process:         %s\n", pid);
	for (i = 0; i < STATUS_FIELDS; i++) {
		printf("%-16s %s", status_fields[i],
		       status->found[i] ? status->values[i] : "(not reported)");
		if (status->found[i] && is_cap_field(i) &&
		    parse_mask(status->values[i], &mask) == 0) {
			printf(" = ");
			if (is_full_set(mask))
				printf("all");
			else if (!mask)
				printf("none");
			else
				cli_caps_print(stdout, mask);
		}
		if (strcmp(status_fields[i], "Seccomp") == 0 && status->found[i])
			printf(" (%s)", strcmp(status->values[i], "2") == 0 ?
						"filter" :
					strcmp(status->values[i], "1") == 0 ?
						"strict" :
						"off");
		printf("\n");
	}
	printf("%-16s %s\n", "LSM label", status->selinux[0] ?
						   status->selinux :
						   "(none)");
	if (status->apparmor[0])
		printf("%-16s %s\n", "AppArmor", status->apparmor);
}

static void print_json(const char *pid, const struct process_status *status)
{
	struct json_object *object = json_object_new_object();
	uint64_t mask;
	size_t i;

	json_object_object_add(object, "pid", json_object_new_string(pid));
	for (i = 0; i < STATUS_FIELDS; i++) {
		struct json_object *value = NULL;

		if (!status->found[i]) {
			json_object_object_add(object, status_fields[i], NULL);
			continue;
		}
		if (is_cap_field(i) &&
		    parse_mask(status->values[i], &mask) == 0) {
			value = json_object_new_object();
			json_object_object_add(value, "mask",
					       json_object_new_string(status->values[i]));
			json_object_object_add(value, "names",
					       cli_caps_json(mask));
			json_object_object_add(value, "all",
					       json_object_new_boolean(is_full_set(mask)));
		} else {
			value = json_object_new_string(status->values[i]);
		}
		json_object_object_add(object, status_fields[i], value);
	}
	json_object_object_add(object, "lsm_label",
			       cli_json_string(status->selinux[0] ?
						       status->selinux :
						       NULL));
	json_object_object_add(object, "apparmor_label",
			       cli_json_string(status->apparmor[0] ?
						       status->apparmor :
						       NULL));
	cli_json_print(object);
}

static int parse_status_args(struct cli_options *options, int argc,
			     char **argv, const char **ret_pid)
{
	static const struct option table[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	uint64_t pid;
	int c, r;

	while ((c = getopt_long(argc, argv, "h", table, NULL)) != -1) {
		r = cli_common_option(options, c, optarg);
		if (r != CLI_HANDLED)
			return r;
	}
	if (argc - optind > 1) {
		cli_fail("status takes at most one process id");
		return EXIT_USAGE;
	}
	if (argc - optind == 0) {
		*ret_pid = "self";
		return -1;
	}
	if (sh_parse_u64(argv[optind], &pid) < 0 || pid == 0 ||
	    pid > 4194304) {
		cli_fail("invalid process id \"%s\": expected a number from 1 to 4194304",
			 argv[optind]);
		return EXIT_USAGE;
	}
	*ret_pid = argv[optind];
	return -1;
}

int cmd_status(struct cli_options *options, int argc, char **argv)
{
	struct process_status status = { 0 };
	const char *pid = NULL;
	char self[32];
	int r;

	r = parse_status_args(options, argc, argv, &pid);
	if (r >= 0)
		return r;

	r = read_status(pid, &status);
	if (r < 0) {
		cli_fail("cannot read /proc/%s/status: %s", pid, strerror(-r));
		return r == -EACCES || r == -EPERM ? EXIT_NOT_PERMITTED :
						     EXIT_PROBLEMS;
	}

	if (strcmp(pid, "self") == 0) {
		snprintf(self, sizeof(self), "%d", (int)getpid());
		pid = self;
	}
	if (options->json)
		print_json(pid, &status);
	else
		print_text(pid, &status);
	return EXIT_OK;
}
