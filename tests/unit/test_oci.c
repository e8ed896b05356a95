// SPDX-License-Identifier: LGPL-2.1-or-later
/* Unit tests for OCI/Docker seccomp profile import and export. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sechard.h"

/* Docker's default bounding set: see tests/field/oci_runc.sh. */
#define DOCKER_CAPS UINT64_C(0xa80425fb)
#define CAP_BIT(n) (UINT64_C(1) << (n))
#define CAP_SYS_ADMIN_BIT CAP_BIT(21)

static char folder[] = "/tmp/sechard-test-oci.XXXXXX";

static int setup_folder(void **state)
{
	return mkdtemp(folder) ? 0 : -1;
}

static int remove_folder(void **state)
{
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", folder);
	return system(command) == 0 ? 0 : -1;
}

/* Write TEXT to NAME in the test folder and return its absolute path. */
static const char *write_profile(const char *name, const char *text)
{
	static char path[256];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	file = fopen(path, "w");
	assert_non_null(file);
	assert_int_equal(fputs(text, file) >= 0, 1);
	assert_int_equal(fclose(file), 0);
	return path;
}

/* Return the Docker profile of the corpus; tests run from the top folder. */
static const char *docker_profile(void)
{
	static char path[4096];
	char cwd[2048];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/oci/docker-default.json",
		 cwd);
	return path;
}

static const struct sh_rule *find_rule(const struct sh_seccomp_policy *policy,
				       const char *syscall, bool allow,
				       unsigned int ncond)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if (strcmp(rule->syscall, syscall) == 0 &&
		    rule->allow == allow && rule->ncond == ncond)
			return rule;
	}
	return NULL;
}

static void load_ok(const char *path, uint64_t caps,
		    struct sh_seccomp_policy *policy)
{
	struct sh_error err = { 0 };
	int r;

	memset(policy, 0, sizeof(*policy));
	r = sh_oci_load(path, caps, policy, &err);
	if (r < 0)
		fail_msg("sh_oci_load: %s: %s", err.key, err.message);
}

static void docker_profile_imports(void **state)
{
	struct sh_seccomp_policy policy;
	const struct sh_rule *rule;

	load_ok(docker_profile(), DOCKER_CAPS, &policy);

	assert_int_equal(policy.mode, SH_SECCOMP_ALLOWLIST);
	assert_int_equal(policy.default_action.kind, SH_ACT_ERRNO);
	assert_int_equal(policy.default_errno, EPERM);
	assert_int_equal(policy.narch, 0);
	assert_true(policy.nrules > 250);
	assert_true(policy.nrules < 400);

	assert_non_null(find_rule(&policy, "read", true, 0));
	assert_non_null(find_rule(&policy, "arch_prctl", true, 0));
	/* CAP_SYS_CHROOT is in Docker's set, CAP_SYS_MODULE is not. */
	assert_non_null(find_rule(&policy, "chroot", true, 0));
	assert_null(find_rule(&policy, "init_module", true, 0));
	assert_null(find_rule(&policy, "mount", true, 0));
	/* Names of other architectures are dropped. */
	assert_null(find_rule(&policy, "chown32", true, 0));
	assert_null(find_rule(&policy, "s390_runtime_instr", true, 0));

	rule = find_rule(&policy, "socket", true, 1);
	assert_non_null(rule);
	assert_false(rule->cond[0].low32);
	free(policy.rules);
}

static void docker_ptrace_needs_kernel_4_8(void **state)
{
	struct sh_seccomp_policy policy;

	/* The running kernel is newer than 4.8, so the entry applies. */
	load_ok(docker_profile(), DOCKER_CAPS, &policy);
	assert_non_null(find_rule(&policy, "ptrace", true, 0));
	free(policy.rules);

	load_ok(write_profile("future.json",
			      "{\"defaultAction\": \"SCMP_ACT_ERRNO\","
			      " \"syscalls\": [{\"names\": [\"ptrace\"],"
			      " \"action\": \"SCMP_ACT_ALLOW\","
			      " \"includes\": {\"minKernel\": \"999.0\"}}]}"),
		0, &policy);
	assert_int_equal(policy.nrules, 0);
	free(policy.rules);
}

static void docker_clone_without_sys_admin(void **state)
{
	struct sh_seccomp_policy policy;
	const struct sh_rule *rule;

	load_ok(docker_profile(), DOCKER_CAPS, &policy);

	assert_null(find_rule(&policy, "clone", true, 0));
	rule = find_rule(&policy, "clone", true, 1);
	assert_non_null(rule);
	assert_int_equal(rule->cond[0].arg, 0);
	assert_int_equal(rule->cond[0].op, SCMP_CMP_MASKED_EQ);
	assert_int_equal(rule->cond[0].value, 0x7e020000);
	assert_int_equal(rule->cond[0].value_two, 0);

	rule = find_rule(&policy, "clone3", false, 0);
	assert_non_null(rule);
	assert_int_equal(rule->action.kind, SH_ACT_ERRNO);
	assert_int_equal(rule->action.errno_value, ENOSYS);
	free(policy.rules);
}

static void docker_clone_with_sys_admin(void **state)
{
	struct sh_seccomp_policy policy;

	load_ok(docker_profile(), DOCKER_CAPS | CAP_SYS_ADMIN_BIT, &policy);

	assert_non_null(find_rule(&policy, "clone", true, 0));
	assert_null(find_rule(&policy, "clone", true, 1));
	assert_non_null(find_rule(&policy, "clone3", true, 0));
	assert_null(find_rule(&policy, "clone3", false, 0));
	assert_non_null(find_rule(&policy, "mount", true, 0));
	free(policy.rules);
}

static void deny_on_equal_is_low32(void **state)
{
	struct sh_seccomp_policy policy;
	const struct sh_rule *rule;

	load_ok(write_profile("deny.json",
			      "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
			      " \"syscalls\": ["
			      "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\","
			      " \"args\": [{\"index\": 1, \"value\": 21522,"
			      " \"op\": \"SCMP_CMP_EQ\"}]},"
			      "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_KILL\","
			      " \"args\": [{\"index\": 0, \"value\": 5,"
			      " \"op\": \"SCMP_CMP_GT\"}]},"
			      "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}"),
		0, &policy);

	assert_int_equal(policy.mode, SH_SECCOMP_DENYLIST);
	/* An allow in a deny-list gives the default verdict: dropped. */
	assert_int_equal(policy.nrules, 2);

	rule = find_rule(&policy, "ioctl", false, 1);
	assert_non_null(rule);
	assert_true(rule->cond[0].low32);
	assert_int_equal(rule->action.errno_value, EPERM);

	rule = find_rule(&policy, "socket", false, 1);
	assert_non_null(rule);
	assert_false(rule->cond[0].low32);
	assert_int_equal(rule->action.kind, SH_ACT_KILL_THREAD);
	free(policy.rules);
}

static void repeated_argument_splits(void **state)
{
	struct sh_seccomp_policy policy;

	load_ok(write_profile("repeat.json",
			      "{\"defaultAction\": \"SCMP_ACT_ERRNO\","
			      " \"syscalls\": [{\"names\": [\"socket\"],"
			      " \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
			      "{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
			      "{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]}"),
		0, &policy);

	assert_int_equal(policy.nrules, 2);
	assert_int_equal(policy.rules[0].ncond, 1);
	assert_int_equal(policy.rules[0].cond[0].value, 1);
	assert_int_equal(policy.rules[1].cond[0].value, 2);
	free(policy.rules);
}

struct error_case {
	const char *name;
	const char *text;
	int code;
	unsigned int line;	/* 0: not checked */
	const char *key;	/* NULL: not checked */
	const char *message;	/* a part of the message */
};

static const struct error_case error_cases[] = {
	{ "malformed JSON",
	  "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [,]\n}\n",
	  EINVAL, 3, NULL, "column 16" },
	{ "truncated JSON", "{\"defaultAction\": \"SCMP_ACT_ERRNO\"", EINVAL, 1,
	  NULL, "unexpected end" },
	{ "text after the profile",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\"} x", EINVAL, 1, NULL,
	  "column 37" },
	{ "root not an object", "[]", EINVAL, 0, NULL, "expected object" },
	{ "missing default", "{\"syscalls\": []}", EINVAL, 0, NULL,
	  "defaultAction" },
	{ "unknown root key",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"foo\": 1}", EINVAL, 0,
	  "foo", "unknown key" },
	{ "unknown entry key",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"foo\": 1}]}",
	  EINVAL, 0, "syscalls[1].foo", "unknown key" },
	{ "unknown arg key",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
	  "[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\", \"x\": 0}]}]}",
	  EINVAL, 0, "syscalls[0].args[0].x", "unknown key" },
	{ "unknown syscall",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"raed\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
	  EINVAL, 0, "syscalls[0].names[0]", "unknown syscall" },
	{ "unknown syscall in skipped entry",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"raed\"], \"action\": \"SCMP_ACT_ALLOW\","
	  " \"includes\": {\"arches\": [\"s390x\"]}}]}",
	  EINVAL, 0, "syscalls[0].names[0]", "unknown syscall" },
	{ "bad action",
	  "{\"defaultAction\": \"SCMP_ACT_DENY\"}", EINVAL, 0, "defaultAction",
	  "unknown action" },
	{ "trace action",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_TRACE\"}]}",
	  EOPNOTSUPP, 0, "syscalls[0]", "tracer" },
	{ "notify action",
	  "{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", EOPNOTSUPP, 0, NULL,
	  "supervisor" },
	{ "listener path",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerPath\": \"/x\"}",
	  EOPNOTSUPP, 0, "listenerPath", "unsupported" },
	{ "spec allow flag",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": "
	  "[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]}",
	  EOPNOTSUPP, 0, "flags[0]", "speculative" },
	{ "errno on allow",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
	  " \"errnoRet\": 1}]}",
	  EINVAL, 0, "syscalls[0].errnoRet", "only SCMP_ACT_ERRNO" },
	{ "errno out of range",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4095}",
	  EINVAL, 0, "defaultErrnoRet", "must be 1 to 4094" },
	{ "bad op",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
	  "[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQQ\"}]}]}",
	  EINVAL, 0, "syscalls[0].args[0].op", "unknown operator" },
	{ "index out of range",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
	  "[{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  EINVAL, 0, "syscalls[0].args[0].index", "invalid index 6" },
	{ "negative value",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
	  "[{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  EINVAL, 0, "syscalls[0].args[0].value", "negative" },
	{ "unknown capability",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
	  " \"includes\": {\"caps\": [\"CAP_FLY\"]}}]}",
	  EINVAL, 0, "syscalls[0].includes.caps[0]", "unknown capability" },
	{ "bad kernel version",
	  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
	  " \"includes\": {\"minKernel\": \"4\"}}]}",
	  EINVAL, 0, "syscalls[0].includes.minKernel", "major.minor" },
	{ "deny of a syscall libseccomp cannot name",
	  "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
	  "{\"names\": [\"mseal\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  EOPNOTSUPP, 0, "syscalls[0].names[0]", "libseccomp" },
};

static void error_paths(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_error err;
	size_t i;
	int r;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *c = &error_cases[i];

		memset(&policy, 0, sizeof(policy));
		memset(&err, 0, sizeof(err));
		r = sh_oci_load(write_profile("bad.json", c->text), 0, &policy,
				&err);
		if (r != -c->code)
			fail_msg("%s: returned %d (%s), expected %d", c->name,
				 r, err.message, -c->code);
		if (c->line && err.line != c->line)
			fail_msg("%s: line %u, expected %u", c->name, err.line,
				 c->line);
		if (c->key && strcmp(err.key, c->key) != 0)
			fail_msg("%s: key \"%s\", expected \"%s\"", c->name,
				 err.key, c->key);
		if (!strstr(err.message, c->message))
			fail_msg("%s: message \"%s\" lacks \"%s\"", c->name,
				 err.message, c->message);
		assert_null(policy.rules);
		assert_int_equal(policy.nrules, 0);
	}
}

static void huge_file_rejected(void **state)
{
	struct sh_seccomp_policy policy = { 0 };
	struct sh_error err = { 0 };
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/huge.json", folder);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 5 * 1024 * 1024), 0);
	close(fd);

	assert_int_equal(sh_oci_load(path, 0, &policy, &err), -EFBIG);
	assert_string_equal(err.file, path);
}

static void symlink_rejected(void **state)
{
	struct sh_seccomp_policy policy = { 0 };
	struct sh_error err = { 0 };
	char link_path[256];

	snprintf(link_path, sizeof(link_path), "%s/link.json", folder);
	unlink(link_path);
	assert_int_equal(symlink(docker_profile(), link_path), 0);

	assert_int_equal(sh_oci_load(link_path, 0, &policy, &err), -ELOOP);
	assert_null(policy.rules);
}

static void assert_policies_equal(const struct sh_seccomp_policy *a,
				  const struct sh_seccomp_policy *b)
{
	size_t i;

	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->default_errno, b->default_errno);
	assert_int_equal(a->nrules, b->nrules);
	for (i = 0; i < a->nrules; i++) {
		const struct sh_rule *x = &a->rules[i], *y = &b->rules[i];

		assert_string_equal(x->syscall, y->syscall);
		assert_int_equal(x->allow, y->allow);
		assert_int_equal(x->action.kind, y->action.kind);
		assert_int_equal(x->action.errno_value, y->action.errno_value);
		assert_int_equal(x->ncond, y->ncond);
		assert_memory_equal(x->cond, y->cond,
				    x->ncond * sizeof(x->cond[0]));
	}
}

static void write_then_load_round_trip(void **state)
{
	struct sh_seccomp_policy original, copy;
	struct sh_error err = { 0 };
	char path[256];
	int fd;

	load_ok(docker_profile(), DOCKER_CAPS, &original);

	snprintf(path, sizeof(path), "%s/exported.json", folder);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(sh_oci_write(&original, NULL, fd, &err), 0);
	close(fd);

	load_ok(path, DOCKER_CAPS, &copy);
	assert_policies_equal(&original, &copy);
	free(original.rules);
	free(copy.rules);
}

/*
 * A low-32 deny on == is written as a masked ==, the form runc needs, so
 * the profile starts in that form to come back unchanged.
 */
static void round_trip_deny_list(void **state)
{
	struct sh_seccomp_policy original, copy;
	struct sh_error err = { 0 };
	char path[256];
	int fd;

	load_ok(write_profile("deny-trip.json",
			      "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
			      " \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"],"
			      " \"syscalls\": ["
			      "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\","
			      " \"errnoRet\": 13, \"args\": [{\"index\": 1,"
			      " \"value\": 4294967295, \"valueTwo\": 21522,"
			      " \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
			      "{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_LOG\","
			      " \"args\": [{\"index\": 0, \"value\": 4294967295,"
			      " \"valueTwo\": 8, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
			      "{\"names\": [\"unshare\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"}]}"),
		0, &original);
	assert_int_equal(original.nrules, 3);

	snprintf(path, sizeof(path), "%s/deny-exported.json", folder);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(sh_oci_write(&original, NULL, fd, &err), 0);
	close(fd);

	load_ok(path, 0, &copy);
	assert_policies_equal(&original, &copy);
	/* the LOG flag becomes seccomp_log_denied and is written back */
	assert_true(original.log_denied);
	assert_true(copy.log_denied);
	free(original.rules);
	free(copy.rules);
}

static void write_adds_allowance(void **state)
{
	static const char *const allowance[] = { "execve", "exit_group", NULL };
	struct sh_seccomp_policy policy = {
		.mode = SH_SECCOMP_ALLOWLIST,
		.default_errno = EPERM,
	};
	struct sh_seccomp_policy copy;
	struct sh_error err = { 0 };
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/allowance.json", folder);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(sh_oci_write(&policy, allowance, fd, &err), 0);
	close(fd);

	load_ok(path, 0, &copy);
	assert_int_equal(copy.nrules, 2);
	assert_non_null(find_rule(&copy, "execve", true, 0));
	assert_non_null(find_rule(&copy, "exit_group", true, 0));
	free(copy.rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docker_profile_imports),
		cmocka_unit_test(docker_ptrace_needs_kernel_4_8),
		cmocka_unit_test(docker_clone_without_sys_admin),
		cmocka_unit_test(docker_clone_with_sys_admin),
		cmocka_unit_test(deny_on_equal_is_low32),
		cmocka_unit_test(repeated_argument_splits),
		cmocka_unit_test(error_paths),
		cmocka_unit_test(huge_file_rejected),
		cmocka_unit_test(symlink_rejected),
		cmocka_unit_test(write_then_load_round_trip),
		cmocka_unit_test(round_trip_deny_list),
		cmocka_unit_test(write_adds_allowance),
	};

	return cmocka_run_group_tests(tests, setup_folder, remove_folder);
}
