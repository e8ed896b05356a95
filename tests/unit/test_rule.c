// SPDX-License-Identifier: LGPL-2.1-or-later
/* Parsing of seccomp rule text, syscall groups and the policy rule array. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sched.h>
#include <fcntl.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "sechard.h"
#include "groups.h"

static int parse(const char *text, bool allow, struct sh_rule *rule,
		 struct sh_error *err)
{
	memset(err, 0, sizeof(*err));
	return sh_rule_parse(text, allow, rule, err);
}

/* Parse TEXT, expect -EINVAL and a message containing EXPECTED. */
static void expect_error(const char *text, bool allow, const char *expected)
{
	struct sh_rule rule;
	struct sh_error err;
	int r = parse(text, allow, &rule, &err);

	if (r != -EINVAL)
		fail_msg("\"%s\" returned %d, expected -EINVAL", text, r);
	if (!strstr(err.message, expected))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text,
			 err.message, expected);
}

static void test_parse_plain(void **state)
{
	struct sh_rule rule;
	struct sh_error err;

	assert_int_equal(parse("read", true, &rule, &err), 0);
	assert_string_equal(rule.syscall, "read");
	assert_true(rule.allow);
	assert_int_equal(rule.ncond, 0);
	assert_int_equal(rule.action.kind, SH_ACT_ERRNO);
	assert_int_equal(rule.action.errno_value, 0);
}

static void test_parse_tiocsti(void **state)
{
	struct sh_rule rule;
	struct sh_error err;

	assert_int_equal(parse("ioctl(arg1 == TIOCSTI)", false, &rule, &err),
			 0);
	assert_string_equal(rule.syscall, "ioctl");
	assert_false(rule.allow);
	assert_int_equal(rule.ncond, 1);
	assert_int_equal(rule.cond[0].arg, 1);
	assert_int_equal(rule.cond[0].op, SCMP_CMP_EQ);
	assert_int_equal(rule.cond[0].value, TIOCSTI);
	assert_true(rule.cond[0].low32);
}

static void test_parse_actions(void **state)
{
	static const struct {
		const char *text;
		enum sh_action_kind kind;
		int errno_value;
	} cases[] = {
		{ "clone3:ENOSYS", SH_ACT_ERRNO, ENOSYS },
		{ "mount:EACCES", SH_ACT_ERRNO, EACCES },
		{ "mount:13", SH_ACT_ERRNO, 13 },
		{ "mount:kill", SH_ACT_KILL_PROCESS, 0 },
		{ "mount:kill-thread", SH_ACT_KILL_THREAD, 0 },
		{ "mount:log", SH_ACT_LOG, 0 },
		{ "mount:trap", SH_ACT_TRAP, 0 },
		{ "socket(arg0 == AF_NETLINK):kill", SH_ACT_KILL_PROCESS, 0 },
		{ " mount : EPERM ", SH_ACT_ERRNO, EPERM },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sh_rule rule;
		struct sh_error err;

		if (parse(cases[i].text, false, &rule, &err) != 0)
			fail_msg("%s: %s", cases[i].text, err.message);
		assert_int_equal(rule.action.kind, cases[i].kind);
		assert_int_equal(rule.action.errno_value,
				 cases[i].errno_value);
	}
}

static void test_parse_operators(void **state)
{
	static const struct {
		const char *text;
		enum scmp_compare op;
		uint64_t value;
	} cases[] = {
		{ "mmap(arg2 == PROT_EXEC)", SCMP_CMP_EQ, PROT_EXEC },
		{ "socket(arg0 != 16)", SCMP_CMP_NE, 16 },
		{ "socket(arg0 > 10)", SCMP_CMP_GT, 10 },
		{ "socket(arg0 >= 0x10)", SCMP_CMP_GE, 16 },
		/* argument 1 of read is a pointer: 64-bit, every op works */
		{ "read(arg1 < 4096)", SCMP_CMP_LT, 4096 },
		{ "read(arg1 <= 4096)", SCMP_CMP_LE, 4096 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sh_rule rule;
		struct sh_error err;

		if (parse(cases[i].text, false, &rule, &err) != 0)
			fail_msg("%s: %s", cases[i].text, err.message);
		assert_int_equal(rule.cond[0].op, cases[i].op);
		assert_int_equal(rule.cond[0].value, cases[i].value);
	}
}

static void test_parse_masked_and_or(void **state)
{
	struct sh_rule rule;
	struct sh_error err;

	assert_int_equal(parse("unshare(arg0 & CLONE_NEWUSER|CLONE_NEWNS == "
			       "CLONE_NEWUSER)", false, &rule, &err), 0);
	assert_int_equal(rule.cond[0].op, SCMP_CMP_MASKED_EQ);
	assert_int_equal(rule.cond[0].value, CLONE_NEWUSER | CLONE_NEWNS);
	assert_int_equal(rule.cond[0].value_two, CLONE_NEWUSER);
	assert_true(rule.cond[0].low32);
}

static void test_parse_several_conds(void **state)
{
	struct sh_rule rule;
	struct sh_error err;

	assert_int_equal(parse("socket(arg0 == AF_INET, arg1 == 3, "
			       "arg2 == 0)", false, &rule, &err), 0);
	assert_int_equal(rule.ncond, 3);
	assert_int_equal(rule.cond[0].value, AF_INET);
	assert_int_equal(rule.cond[2].arg, 2);
}

static void test_parse_negative_const(void **state)
{
	struct sh_rule rule;
	struct sh_error err;

	assert_int_equal(parse("openat(arg0 == AT_FDCWD)", true, &rule, &err),
			 0);
	assert_int_equal(rule.cond[0].value, (uint64_t)(int64_t)AT_FDCWD);
	assert_int_equal(parse("openat(arg0 == -100)", true, &rule, &err), 0);
	assert_int_equal(rule.cond[0].value, (uint64_t)(int64_t)-100);
}

static void test_parse_native_missing_name(void **state)
{
	struct sh_rule rule;
	struct sh_error err;

	/* socketcall exists on i386 only: accepted for secondary arches */
	assert_int_equal(parse("socketcall", false, &rule, &err), 0);
}

static void test_parse_errors(void **state)
{
	char long_entry[300];

	expect_error("foo", false, "unknown syscall \"foo\"");
	expect_error("ioctl(arg1 == TIOCSTX)", false,
		     "unknown constant \"TIOCSTX\" in \"ioctl(arg1 == TIOCSTX)\"");
	expect_error("mount:EWHAT", false, "unknown action \"EWHAT\"");
	expect_error("mount:0", false, "unknown action");
	expect_error("mount:4096", false, "unknown action");
	expect_error("mount:EPERM", true, "allow entry cannot carry");
	expect_error("ioctl(arg1 == 1", false, "unbalanced parentheses");
	expect_error("ioctl arg1 == 1)", false, "unbalanced parentheses");
	expect_error("ioctl((arg1 == 1))", false, "nested parentheses");
	expect_error("ioctl(arg1 == 1) x", false, "unexpected text");
	expect_error("ioctl(arg6 == 1)", false, "invalid condition");
	expect_error("ioctl(arg10 == 1)", false, "invalid condition");
	expect_error("ioctl(a1 == 1)", false, "invalid condition");
	expect_error("ioctl(arg1 = 1)", false, "missing operator");
	expect_error("ioctl(arg1 ==)", false, "missing value");
	expect_error("ioctl(arg1 == 1|)", false, "missing value");
	expect_error("ioctl(arg1 == 12z)", false, "invalid number");
	expect_error("ioctl(arg1 & 0xff)", false, "expected \"argN & MASK");
	expect_error("ioctl(arg1 == 1,)", false, "empty condition");
	expect_error("ioctl()", false, "empty condition");
	expect_error("(arg1 == 1)", false, "missing syscall name");
	expect_error("IOCTL", false, "invalid syscall name");
	expect_error("ioctl(arg0 == 1, arg1 == 1, arg2 == 1, arg3 == 1, "
		     "arg4 == 1, arg5 == 1, arg0 == 2)", false,
		     "too many conditions");
	expect_error("a_syscall_name_that_is_far_too_long_to_fit_in_the_sixty_four_bytes",
		     false, "too long");

	memset(long_entry, 'a', sizeof(long_entry) - 1);
	long_entry[sizeof(long_entry) - 1] = '\0';
	expect_error(long_entry, false, "longer than 255");
}

/* Every rule about 32-bit arguments, as rule.c documents them. */
static void test_width_rules(void **state)
{
	struct sh_rule rule;
	struct sh_error err;

	/* deny: == & != > >= fine, < <= bypassable */
	assert_int_equal(parse("ioctl(arg1 == 1)", false, &rule, &err), 0);
	assert_int_equal(parse("ioctl(arg1 & 0xff == 1)", false, &rule, &err),
			 0);
	assert_int_equal(parse("ioctl(arg1 != 1)", false, &rule, &err), 0);
	assert_int_equal(parse("ioctl(arg1 > 1)", false, &rule, &err), 0);
	assert_int_equal(parse("ioctl(arg1 >= 1)", false, &rule, &err), 0);
	expect_error("ioctl(arg1 < 1)", false, "can be bypassed");
	expect_error("ioctl(arg1 <= 1)", false, "can be bypassed");

	/* allow: == & < <= fine, > >= bypassable */
	assert_int_equal(parse("ioctl(arg1 == 1)", true, &rule, &err), 0);
	assert_int_equal(parse("ioctl(arg1 & 0xff == 1)", true, &rule, &err),
			 0);
	assert_int_equal(parse("ioctl(arg1 < 1)", true, &rule, &err), 0);
	assert_int_equal(parse("ioctl(arg1 <= 1)", true, &rule, &err), 0);
	expect_error("ioctl(arg1 > 1)", true, "can be bypassed");
	expect_error("ioctl(arg1 >= 1)", true, "can be bypassed");

	/* allow !=: alone fine, with other conditions rejected */
	assert_int_equal(parse("socket(arg0 != AF_VSOCK)", true, &rule, &err),
			 0);
	expect_error("socket(arg0 != AF_VSOCK, arg1 == 1)", true,
		     "must be the only condition");

	/* 64-bit arguments accept every operator */
	assert_int_equal(parse("ioctl(arg2 < 1)", false, &rule, &err), 0);
	assert_false(rule.cond[0].low32);
	assert_int_equal(parse("ioctl(arg2 > 1)", true, &rule, &err), 0);
	assert_int_equal(parse("ioctl(arg2 != 1, arg0 == 1)", true, &rule,
			       &err), 0);
}

static void test_width_message(void **state)
{
	struct sh_rule rule;
	struct sh_error err;

	assert_int_equal(parse("personality(arg0 < 8)", false, &rule, &err),
			 -EINVAL);
	assert_non_null(strstr(err.message, "argument 0 of personality is "
					    "32 bits wide"));
	assert_string_equal(err.key, "personality(arg0 < 8)");
}

static void test_arg_width_table(void **state)
{
	assert_false(sh_syscall_arg_is_64bit("ioctl", 0));
	assert_false(sh_syscall_arg_is_64bit("ioctl", 1));
	assert_true(sh_syscall_arg_is_64bit("ioctl", 2));
	assert_false(sh_syscall_arg_is_64bit("clone", 0));
	assert_true(sh_syscall_arg_is_64bit("mmap", 1));
	assert_false(sh_syscall_arg_is_64bit("mmap", 2));
	assert_false(sh_syscall_arg_is_64bit("unknown_call", 0));
	assert_false(sh_syscall_arg_is_64bit("mmap", 6));
}

static void test_errno_names(void **state)
{
	assert_int_equal(sh_errno_from_name("EPERM"), EPERM);
	assert_int_equal(sh_errno_from_name("ENOSYS"), ENOSYS);
	assert_int_equal(sh_errno_from_name("38"), 38);
	assert_int_equal(sh_errno_from_name("eperm"), -EINVAL);
	assert_int_equal(sh_errno_from_name(""), -EINVAL);
	assert_int_equal(sh_errno_from_name("0"), -EINVAL);
	assert_int_equal(sh_errno_from_name("-1"), -EINVAL);
	assert_int_equal(sh_errno_from_name("4096"), -EINVAL);
	assert_string_equal(sh_errno_name(EACCES), "EACCES");
	assert_null(sh_errno_name(4000));
}

/* ------------------------------------------------------------------------ */
/* Lists, groups and policies */

static void policy_reset(struct sh_seccomp_policy *policy)
{
	memset(policy, 0, sizeof(*policy));
}

static bool policy_has(const struct sh_seccomp_policy *policy,
		       const char *syscall)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		if (strcmp(policy->rules[i].syscall, syscall) == 0)
			return true;
	}
	return false;
}

static void test_list_split(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_error err;

	policy_reset(&policy);
	assert_int_equal(sh_seccomp_add_list(&policy,
					     " read , socket(arg0 == AF_INET, "
					     "arg1 == 3):EACCES, mount ,",
					     false, "f.conf", 7, &err), 0);
	assert_int_equal(policy.nrules, 3);
	assert_string_equal(policy.rules[1].syscall, "socket");
	assert_int_equal(policy.rules[1].ncond, 2);
	assert_int_equal(policy.rules[1].action.errno_value, EACCES);
	assert_string_equal(policy.rules[2].file, "f.conf");
	assert_int_equal(policy.rules[2].line, 7);

	assert_int_equal(sh_seccomp_add_list(&policy, "", false, "f.conf", 8,
					     &err), 0);
	assert_int_equal(policy.nrules, 3);
	sh_seccomp_policy_clear(&policy);
	assert_null(policy.rules);
	assert_int_equal(policy.nrules, 0);
}

static void test_list_errors(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_error err;

	policy_reset(&policy);
	assert_int_equal(sh_seccomp_add_list(&policy, "read,,write", true,
					     "f.conf", 3, &err), -EINVAL);
	assert_non_null(strstr(err.message, "empty seccomp entry"));

	assert_int_equal(sh_seccomp_add_list(&policy, "read, foo", true,
					     "f.conf", 4, &err), -EINVAL);
	assert_string_equal(err.message, "unknown syscall \"foo\"");
	assert_string_equal(err.file, "f.conf");
	assert_int_equal(err.line, 4);
	assert_string_equal(err.key, "foo");
	sh_seccomp_policy_clear(&policy);
}

static void test_group_expansion(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_error err;
	size_t i;

	policy_reset(&policy);
	assert_int_equal(sh_seccomp_add_entry(&policy, "@mount:EACCES", false,
					      "f.conf", 2, &err), 0);
	assert_true(policy_has(&policy, "mount"));
	assert_true(policy_has(&policy, "fsopen"));
	assert_true(policy_has(&policy, "open_tree"));
	for (i = 0; i < policy.nrules; i++) {
		assert_false(policy.rules[i].allow);
		assert_int_equal(policy.rules[i].action.errno_value, EACCES);
	}
	sh_seccomp_policy_clear(&policy);

	/* nested groups expand too */
	assert_int_equal(sh_seccomp_add_entry(&policy, "@default", true,
					      "f.conf", 3, &err), 0);
	assert_true(policy_has(&policy, "read"));
	assert_true(policy_has(&policy, "openat"));
	assert_true(policy_has(&policy, "ioctl"));
	assert_false(policy_has(&policy, "mount"));
	assert_false(policy_has(&policy, "clone3"));
	sh_seccomp_policy_clear(&policy);
}

static void test_group_errors(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_error err;

	policy_reset(&policy);
	assert_int_equal(sh_seccomp_add_entry(&policy, "@nope", false, "f", 1,
					      &err), -EINVAL);
	assert_string_equal(err.message, "unknown syscall group \"@nope\"");
	assert_int_equal(sh_seccomp_add_entry(&policy, "@mount:EPERM", true,
					      "f", 1, &err), -EINVAL);
	assert_int_equal(sh_seccomp_add_entry(&policy, "@mount:bad", false,
					      "f", 1, &err), -EINVAL);
	assert_int_equal(policy.nrules, 0);
	sh_seccomp_policy_clear(&policy);
}

static void test_rules_max(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_error err;
	int r = 0;
	size_t i;

	policy_reset(&policy);
	for (i = 0; i <= SH_RULES_MAX && r == 0; i++)
		r = sh_seccomp_add_entry(&policy, "read", true, "f", 1, &err);
	assert_int_equal(r, -E2BIG);
	assert_int_equal(policy.nrules, SH_RULES_MAX);
	sh_seccomp_policy_clear(&policy);
}

static void test_policy_copy(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_seccomp_policy copy;
	struct sh_error err;

	policy_reset(&policy);
	policy.mode = SH_SECCOMP_DENYLIST;
	assert_int_equal(sh_seccomp_add_list(&policy, "@mount, ioctl(arg1 == "
					     "TIOCSTI)", false, "f", 1, &err),
			 0);
	assert_int_equal(sh_seccomp_policy_copy(&copy, &policy), 0);
	assert_int_equal(copy.mode, SH_SECCOMP_DENYLIST);
	assert_int_equal(copy.nrules, policy.nrules);
	assert_ptr_not_equal(copy.rules, policy.rules);
	assert_memory_equal(copy.rules, policy.rules,
			    policy.nrules * sizeof(*policy.rules));

	sh_seccomp_policy_clear(&policy);
	assert_true(policy_has(&copy, "ioctl"));
	sh_seccomp_policy_clear(&copy);
}

static void test_group_members_resolve(void **state)
{
	const struct sh_syscall_group *groups;
	size_t count;
	size_t i;

	groups = sh_syscall_groups(&count);
	assert_true(count >= 24);

	for (i = 0; i < count; i++) {
		const char *const *member;

		assert_int_equal(groups[i].name[0], '@');
		assert_non_null(groups[i].description);
		assert_ptr_equal(sh_syscall_group_find(groups[i].name),
				 &groups[i]);

		for (member = groups[i].members; *member; member++) {
			if ((*member)[0] == '@') {
				if (!sh_syscall_group_find(*member))
					fail_msg("%s: unknown group %s",
						 groups[i].name, *member);
				continue;
			}
			if (seccomp_syscall_resolve_name(*member) ==
			    __NR_SCMP_ERROR)
				fail_msg("%s: libseccomp cannot name %s",
					 groups[i].name, *member);
		}
	}
}

static void test_group_find(void **state)
{
	assert_non_null(sh_syscall_group_find("@io-uring"));
	assert_non_null(sh_syscall_group_find("io-uring"));
	assert_null(sh_syscall_group_find("@io_uring"));
	assert_null(sh_syscall_group_find("@"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_parse_tiocsti),
		cmocka_unit_test(test_parse_actions),
		cmocka_unit_test(test_parse_operators),
		cmocka_unit_test(test_parse_masked_and_or),
		cmocka_unit_test(test_parse_several_conds),
		cmocka_unit_test(test_parse_negative_const),
		cmocka_unit_test(test_parse_native_missing_name),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_width_rules),
		cmocka_unit_test(test_width_message),
		cmocka_unit_test(test_arg_width_table),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_list_split),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_group_expansion),
		cmocka_unit_test(test_group_errors),
		cmocka_unit_test(test_rules_max),
		cmocka_unit_test(test_policy_copy),
		cmocka_unit_test(test_group_members_resolve),
		cmocka_unit_test(test_group_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
