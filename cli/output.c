// SPDX-License-Identifier: LGPL-2.1-or-later
/* Messages, JSON and capability names for the sechard tool. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sys/capability.h>

#include "caps.h"
#include "cli.h"

void cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sechard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_error_reason(const struct sh_error *err, char *buf, size_t size)
{
	if (err->key[0])
		snprintf(buf, size, "%s: %s", err->key, err->message);
	else
		snprintf(buf, size, "%s", err->message);
}

/*
 * sh_error_format() gives "FILE:LINE: KEY: MESSAGE"; compilers put the
 * severity after the location, so the location is formatted from an
 * error record holding only the file and line.
 */
void cli_print_error(FILE *out, const struct sh_error *err)
{
	char reason[sizeof(err->key) + sizeof(err->message) + 4];

	cli_error_reason(err, reason, sizeof(reason));
	if (err->file[0] && err->line)
		fprintf(out, "%s:%u: error: %s\n", err->file, err->line,
			reason);
	else if (err->file[0])
		fprintf(out, "%s: error: %s\n", err->file, reason);
	else
		fprintf(out, "sechard: error: %s\n", reason);
}

struct json_object *cli_json_string(const char *text)
{
	return text ? json_object_new_string(text) : NULL;
}

struct json_object *cli_error_json(const struct sh_error *err)
{
	struct json_object *object = json_object_new_object();

	json_object_object_add(object, "file",
			       cli_json_string(err->file[0] ? err->file : NULL));
	json_object_object_add(object, "line",
			       json_object_new_int64(err->line));
	json_object_object_add(object, "key",
			       cli_json_string(err->key[0] ? err->key : NULL));
	json_object_object_add(object, "message",
			       json_object_new_string(err->message));
	return object;
}

void cli_json_print(struct json_object *object)
{
	puts(json_object_to_json_string_ext(object, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(object);
}

const char *cli_point_name(enum sh_enforce_point point)
{
	return point == SH_ENFORCE_OPEN ? "open" : "child";
}

int cli_parse_point(const char *text, enum sh_enforce_point *ret)
{
	if (strcmp(text, "child") == 0)
		*ret = SH_ENFORCE_CHILD;
	else if (strcmp(text, "open") == 0)
		*ret = SH_ENFORCE_OPEN;
	else
		return -EINVAL;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Capabilities */

void cli_cap_name(int cap, char *buf, size_t size)
{
	size_t i;

	if (sh_caps_name(cap, buf, size) < 0)
		snprintf(buf, size, "%d", cap);
	for (i = 0; buf[i]; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
}

/* Capabilities that let their holder become full root; see capabilities(7). */
static const struct {
	int cap;
	const char *reason;
} root_caps[] = {
	{ CAP_SYS_ADMIN, "mounts file systems and reaches most of the admin interface" },
	{ CAP_SYS_MODULE, "loads code into the kernel" },
	{ CAP_SYS_RAWIO, "reads and writes raw memory and devices" },
	{ CAP_SYS_PTRACE, "attaches to and injects code into root processes" },
	{ CAP_DAC_OVERRIDE, "writes any file, /etc/shadow included" },
	{ CAP_DAC_READ_SEARCH, "reads any file and opens files by handle" },
	{ CAP_SETUID, "switches to uid 0" },
	{ CAP_SETGID, "joins any group, such as disk or shadow" },
	{ CAP_SETPCAP, "grants itself capabilities from the bounding set" },
	{ CAP_CHOWN, "takes ownership of any file" },
	{ CAP_FOWNER, "changes the mode of any file" },
	{ CAP_SYS_BOOT, "loads a new kernel with kexec" },
	{ CAP_BPF, "loads BPF programs that read kernel memory" },
	{ CAP_NET_ADMIN, "reconfigures the network and loads netfilter code" },
	{ CAP_MKNOD, "creates device nodes for raw disks and memory" },
	{ CAP_SETFCAP, "gives any program file capabilities" },
	{ CAP_MAC_ADMIN, "changes the LSM policy" },
	{ CAP_MAC_OVERRIDE, "bypasses the LSM policy" },
};

const char *cli_cap_root_reason(int cap)
{
	size_t i;

	for (i = 0; i < sizeof(root_caps) / sizeof(root_caps[0]); i++) {
		if (root_caps[i].cap == cap)
			return root_caps[i].reason;
	}
	return NULL;
}

struct json_object *cli_caps_json(uint64_t mask)
{
	struct json_object *array = json_object_new_array();
	char name[64];
	int cap;

	for (cap = 0; cap < 64; cap++) {
		if (!(mask & (UINT64_C(1) << cap)))
			continue;
		cli_cap_name(cap, name, sizeof(name));
		json_object_array_add(array, json_object_new_string(name));
	}
	return array;
}

void cli_caps_print(FILE *out, uint64_t mask)
{
	const char *separator = "";
	char name[64];
	int cap;

	for (cap = 0; cap < 64; cap++) {
		if (!(mask & (UINT64_C(1) << cap)))
			continue;
		cli_cap_name(cap, name, sizeof(name));
		fprintf(out, "%s%s", separator, name);
		separator = ", ";
	}
}
