// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * oci_enforce: the sechard side of tests/field/oci_runc.sh.
 *
 *   oci_enforce list PROFILE
 *       print "NAME=NUMBER" for every syscall PROFILE names that exists on
 *       x86_64, once each, in profile order
 *   oci_enforce exec PROFILE CAPS PROGRAM [ARG...]
 *       import PROFILE with sh_oci_load() for the capability set CAPS (a
 *       number, bit N = capability N), compile it with sh_filter_compile(),
 *       keep only CAPS in every capability set, set no_new_privs, load the
 *       filters and execute PROGRAM
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <json-c/json.h>

#include "sechard.h"

static int fail(const char *what, const struct sh_error *err)
{
	char message[1024];

	sh_error_format(err, message, sizeof(message));
	fprintf(stderr, "oci_enforce: %s: %s\n", what, message);
	return 1;
}

static void print_names(json_object *names, json_object *seen)
{
	size_t i;

	for (i = 0; i < json_object_array_length(names); i++) {
		const char *name = json_object_get_string(
			json_object_array_get_idx(names, i));
		int number = seccomp_syscall_resolve_name(name);

		if (number < 0 || json_object_object_get_ex(seen, name, NULL))
			continue;
		json_object_object_add(seen, name, NULL);
		printf("%s=%d\n", name, number);
	}
}

/* The profile was validated by sh_oci_load() before this reads it. */
static int list_syscalls(const char *path)
{
	json_object *root, *syscalls, *names, *seen;
	size_t i;

	root = json_object_from_file(path);
	if (!root || !json_object_object_get_ex(root, "syscalls", &syscalls)) {
		fprintf(stderr, "oci_enforce: %s: cannot read syscalls\n", path);
		return 1;
	}

	seen = json_object_new_object();
	for (i = 0; i < json_object_array_length(syscalls); i++) {
		json_object *entry = json_object_array_get_idx(syscalls, i);

		if (json_object_object_get_ex(entry, "names", &names))
			print_names(names, seen);
	}
	json_object_put(seen);
	json_object_put(root);
	return 0;
}

/* Keep CAPS in the bounding, permitted, effective and inheritable sets. */
static int keep_caps(uint64_t caps)
{
	cap_value_t cap, last = CAP_LAST_CAP;
	cap_t state;
	int r;

	while (CAP_IS_SUPPORTED(last + 1))
		last++;

	for (cap = 0; cap <= last; cap++)
		if (!(caps & (UINT64_C(1) << cap)) && cap_drop_bound(cap) < 0)
			return -errno;

	state = cap_init();
	if (!state)
		return -errno;
	for (cap = 0; cap <= last; cap++) {
		if (!(caps & (UINT64_C(1) << cap)))
			continue;
		cap_set_flag(state, CAP_PERMITTED, 1, &cap, CAP_SET);
		cap_set_flag(state, CAP_EFFECTIVE, 1, &cap, CAP_SET);
	}
	r = cap_set_proc(state);
	cap_free(state);
	return r < 0 ? -errno : 0;
}

static int exec_confined(const char *path, const char *caps_text,
			 char **argv)
{
	struct sh_seccomp_policy policy;
	struct sh_bpf filters[SH_FILTERS_MAX];
	struct sh_error err;
	unsigned int count, i;
	uint64_t caps;
	int r;

	if (sh_parse_u64(caps_text, &caps) < 0) {
		fprintf(stderr, "oci_enforce: invalid capability set \"%s\"\n",
			caps_text);
		return 2;
	}

	memset(&policy, 0, sizeof(policy));
	memset(&err, 0, sizeof(err));
	if (sh_oci_load(path, caps, &policy, &err) < 0)
		return fail("sh_oci_load", &err);
	if (sh_filter_compile(&policy, NULL, filters, &count, &err) < 0)
		return fail("sh_filter_compile", &err);

	r = keep_caps(caps);
	if (r < 0) {
		fprintf(stderr, "oci_enforce: cannot set capabilities: %s\n",
			strerror(-r));
		return 1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("oci_enforce: PR_SET_NO_NEW_PRIVS");
		return 1;
	}

	/* in order, as sh_plan_enforce() loads them */
	for (i = 0; i < count; i++) {
		struct sock_fprog program = {
			.len = filters[i].len,
			.filter = filters[i].insns,
		};

		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
			    &program) < 0) {
			fprintf(stderr, "oci_enforce: loading filter %u: %s\n",
				i + 1, strerror(errno));
			return 1;
		}
	}

	execv(argv[0], argv);
	perror("oci_enforce: execv");
	return 127;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "list") == 0)
		return list_syscalls(argv[2]);
	if (argc >= 5 && strcmp(argv[1], "exec") == 0)
		return exec_confined(argv[2], argv[3], argv + 4);

	fprintf(stderr,
		"usage: oci_enforce list PROFILE\n"
		"       oci_enforce exec PROFILE CAPS PROGRAM [ARG...]\n");
	return 2;
}
