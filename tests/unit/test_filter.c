// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Behaviour of compiled seccomp filters: each case builds a policy, loads
 * the filters in a forked child (after PR_SET_NO_NEW_PRIVS, so no root is
 * needed), runs raw syscalls there and reports each errno to the parent.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "sechard.h"

/* Reported when the child died of a signal before answering. */
#define RESULT_KILLED -1000

enum probe_kind {
	PROBE_NATIVE,	/* syscall(2) on the x86_64 entry point */
	PROBE_X32,	/* the x32 entry point: nr | 0x40000000 */
	PROBE_INT80,	/* the 32-bit entry point: int $0x80 */
	PROBE_CLONE,	/* clone(arg[0], 0, ...): the new child exits at once */
};

struct probe {
	enum probe_kind kind;
	long nr;
	long arg[3];
};

static long run_x32(long nr)
{
	long ret = nr | 0x40000000L;

	__asm__ volatile("syscall"
			 : "+a"(ret)
			 :
			 : "rcx", "r11", "memory");
	return ret;
}

static long run_int80(long nr)
{
	long ret = nr;

	__asm__ volatile("int $0x80"
			 : "+a"(ret)
			 : "b"(0), "c"(0), "d"(0)
			 : "r8", "r9", "r10", "r11", "memory");
	/* the 32-bit ABI returns in eax: sign-extend -errno */
	return (long)(int)ret;
}

/* clone() with FLAGS and no new stack, so the new child returns here. */
static int run_clone(long flags)
{
	long ret = syscall(SYS_clone, flags, 0L, 0L, 0L, 0L);

	if (ret == 0)
		_exit(0);
	if (ret < 0)
		return errno;
	waitpid((pid_t)ret, NULL, __WALL);
	return 0;
}

/* 0 on success, else the errno value. */
static int run_probe(const struct probe *probe)
{
	long ret;

	switch (probe->kind) {
	case PROBE_CLONE:
		return run_clone(probe->arg[0]);
	case PROBE_X32:
		ret = run_x32(probe->nr);
		return ret < 0 && ret > -4096 ? (int)-ret : 0;
	case PROBE_INT80:
		ret = run_int80(probe->nr);
		return ret < 0 && ret > -4096 ? (int)-ret : 0;
	case PROBE_NATIVE:
	default:
		errno = 0;
		ret = syscall(probe->nr, probe->arg[0], probe->arg[1],
			      probe->arg[2]);
		return ret < 0 ? errno : 0;
	}
}

static void child_main(const struct sh_bpf *filters, unsigned int nfilters,
		       const struct probe *probes, size_t nprobes, int fd)
{
	size_t i;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(2);
	for (i = 0; i < nfilters; i++) {
		struct sock_fprog program = {
			.len = filters[i].len,
			.filter = filters[i].insns,
		};

		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
			    &program) < 0)
			_exit(3);
	}

	for (i = 0; i < nprobes; i++) {
		int result = run_probe(&probes[i]);

		if (write(fd, &result, sizeof(result)) != sizeof(result))
			_exit(4);
	}
	_exit(0);
}

/*
 * Compile POLICY with sh_filter_compile(), as sh_plan_build() does, run
 * PROBES under it in a child and store one errno per probe (0 for success,
 * RESULT_KILLED if the child died first) in RESULTS.  *RET_NCTX receives
 * the number of filters.
 */
static void run_under(const struct sh_seccomp_policy *policy,
		      const char *const *allowance, const struct probe *probes,
		      size_t nprobes, int *results, unsigned int *ret_nctx)
{
	struct sh_bpf filters[SH_FILTERS_MAX];
	struct sh_error err;
	unsigned int nctx;
	int pipe_fd[2];
	size_t i;
	pid_t pid;
	int r;

	memset(&err, 0, sizeof(err));
	r = sh_filter_compile(policy, allowance, filters, &nctx, &err);
	if (r < 0)
		fail_msg("sh_filter_compile: %s", err.message);
	if (ret_nctx)
		*ret_nctx = nctx;

	assert_int_equal(pipe(pipe_fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pipe_fd[0]);
		child_main(filters, nctx, probes, nprobes, pipe_fd[1]);
	}
	close(pipe_fd[1]);

	for (i = 0; i < nprobes; i++) {
		if (read(pipe_fd[0], &results[i], sizeof(results[i])) !=
		    sizeof(results[i]))
			results[i] = RESULT_KILLED;
	}
	close(pipe_fd[0]);
	waitpid(pid, NULL, 0);

	for (i = 0; i < nctx; i++)
		free(filters[i].insns);
}

/*
 * The number of layers POLICY compiles into before sh_filter_compile()
 * merges them: libseccomp contexts plus the fallback filter.
 */
static unsigned int count_layers(const struct sh_seccomp_policy *policy)
{
	scmp_filter_ctx ctx[2];
	struct sh_bpf fallback;
	struct sh_error err;
	unsigned int nctx = 0, nlayers, i;

	memset(&err, 0, sizeof(err));
	if (sh_filter_build(policy, NULL, false, ctx, &nctx, &err) < 0 ||
	    sh_filter_build_fallback(policy, NULL, false, &fallback,
				     &err) < 0)
		fail_msg("layers: %s", err.message);

	nlayers = nctx + (fallback.len ? 1 : 0);
	for (i = 0; i < nctx; i++)
		seccomp_release(ctx[i]);
	free(fallback.insns);
	return nlayers;
}

static void policy_init(struct sh_seccomp_policy *policy,
			enum sh_seccomp_mode mode, const char *allow,
			const char *deny)
{
	struct sh_error err;

	memset(policy, 0, sizeof(*policy));
	policy->mode = mode;
	policy->default_errno = EPERM;

	memset(&err, 0, sizeof(err));
	if (allow && sh_seccomp_add_list(policy, allow, true, "test.conf", 1,
					 &err) < 0)
		fail_msg("allow list: %s: %s", err.key, err.message);
	if (deny && sh_seccomp_add_list(policy, deny, false, "test.conf", 2,
					&err) < 0)
		fail_msg("deny list: %s: %s", err.key, err.message);
}

static int build_error(const struct sh_seccomp_policy *policy,
		       const char *const *allowance, struct sh_error *err)
{
	scmp_filter_ctx ctx[2];
	unsigned int nctx = 0;
	int r;

	memset(err, 0, sizeof(*err));
	r = sh_filter_build(policy, allowance, false, ctx, &nctx, err);
	if (r == 0) {
		while (nctx)
			seccomp_release(ctx[--nctx]);
	}
	return r;
}

/*
 * First syscall number above 423 that the installed libseccomp cannot name.
 * Debian's libseccomp 2.5.4 names up to 456 (fchmodat2 included), so on
 * that version this is 457, statmount, which kernels from 6.8 implement.
 */
static long first_unnamed_syscall(void)
{
	long nr;

	for (nr = 424; nr < 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(
			seccomp_arch_native(), (int)nr);

		if (!name)
			return nr;
		free(name);
	}
	return 1023;
}

#define NATIVE(nr_, a0, a1, a2) \
	{ PROBE_NATIVE, (nr_), { (long)(a0), (long)(a1), (long)(a2) } }

/* ------------------------------------------------------------------------ */

static void test_allowlist_basics(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getpid, 0, 0, 0),
		/* not allowed, named by libseccomp: the profile's errno */
		NATIVE(SYS_mount, 0, 0, 0),
		NATIVE(SYS_reboot, 0, 0, 0),
		/* never a syscall number */
		NATIVE(1000, 0, 0, 0),
		/* a real syscall newer than libseccomp, set below */
		NATIVE(0, 0, 0, 0),
	};
	int results[5];
	struct probe unnamed[5];

	memcpy(unnamed, probes, sizeof(probes));
	unnamed[4].nr = first_unnamed_syscall();

	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default", NULL);
	run_under(&policy, NULL, unnamed, 5, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], EPERM);
	assert_int_equal(results[3], ENOSYS);
	assert_int_equal(results[4], ENOSYS);
	sh_seccomp_policy_clear(&policy);
}

static void test_allowlist_explicit_deny(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 0, 0, 0),
		NATIVE(SYS_getpid, 0, 0, 0),
		NATIVE(SYS_mount, 0, 0, 0),
	};
	int results[3];

	/* an unconditional deny beats the allow from @default */
	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default",
		    "getppid:EACCES, mount:ENOSYS");
	run_under(&policy, NULL, probes, 3, results, NULL);

	assert_int_equal(results[0], EACCES);
	assert_int_equal(results[1], 0);
	assert_int_equal(results[2], ENOSYS);
	sh_seccomp_policy_clear(&policy);
}

static void test_allowlist_default_errno(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_mount, 0, 0, 0),
	};
	int results[1];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default", NULL);
	policy.default_errno = EACCES;
	run_under(&policy, NULL, probes, 1, results, NULL);

	assert_int_equal(results[0], EACCES);
	sh_seccomp_policy_clear(&policy);
}

static void test_tiocsti_high_bits_denied(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_ioctl, -1, TIOCSTI, 0),
		NATIVE(SYS_ioctl, -1, 0x100000000UL | TIOCSTI, 0),
		NATIVE(SYS_ioctl, -1, 0xffffffff00000000UL | TIOCSTI, 0),
		/* other requests reach the kernel: bad fd */
		NATIVE(SYS_ioctl, -1, TIOCGWINSZ, 0),
	};
	int results[4];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL,
		    "ioctl(arg1 == TIOCSTI)");
	run_under(&policy, NULL, probes, 4, results, NULL);

	assert_int_equal(results[0], EPERM);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], EPERM);
	assert_int_equal(results[3], EBADF);
	sh_seccomp_policy_clear(&policy);
}

static void test_masked_deny_high_bits(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_unshare, CLONE_NEWUSER, 0, 0),
		NATIVE(SYS_unshare, 0x100000000UL | CLONE_NEWUSER, 0, 0),
		/* unshare(0) succeeds and changes nothing */
		NATIVE(SYS_unshare, 0, 0, 0),
	};
	int results[3];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL,
		    "unshare(arg0 & CLONE_NEWUSER == CLONE_NEWUSER):EACCES");
	run_under(&policy, NULL, probes, 3, results, NULL);

	assert_int_equal(results[0], EACCES);
	assert_int_equal(results[1], EACCES);
	assert_int_equal(results[2], 0);
	sh_seccomp_policy_clear(&policy);
}

static void test_allow_and_cond_deny_both(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_ioctl, -1, TIOCSTI, 0),
		NATIVE(SYS_ioctl, -1, 0x100000000UL | TIOCSTI, 0),
		NATIVE(SYS_ioctl, -1, TCGETS, 0),
		NATIVE(SYS_mount, 0, 0, 0),
	};
	unsigned int nctx = 0;
	int results[4];

	/* @default allows ioctl without conditions */
	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default",
		    "ioctl(arg1 == TIOCSTI):EACCES");
	run_under(&policy, NULL, probes, 4, results, &nctx);

	/* two layers, merged into one program */
	assert_int_equal(nctx, 1);
	assert_int_equal(count_layers(&policy), 2);
	assert_int_equal(results[0], EACCES);
	assert_int_equal(results[1], EACCES);
	assert_int_equal(results[2], EBADF);
	assert_int_equal(results[3], EPERM);
	sh_seccomp_policy_clear(&policy);
}

static void test_allowlist_single_context(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = { NATIVE(SYS_getpid, 0, 0, 0) };
	unsigned int nctx = 0;
	int results[1];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default", "mount");
	run_under(&policy, NULL, probes, 1, results, &nctx);

	assert_int_equal(nctx, 1);
	assert_int_equal(results[0], 0);
	sh_seccomp_policy_clear(&policy);
}

static void test_allow_ne_32bit(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_socket, AF_UNIX, SOCK_STREAM, 0),
		NATIVE(SYS_socket, AF_VSOCK, SOCK_STREAM, 0),
		/* the kernel reads AF_VSOCK from the low half */
		NATIVE(SYS_socket, 0x100000000UL | AF_VSOCK, SOCK_STREAM, 0),
	};
	unsigned int nctx = 0;
	int results[3];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "@default, socket(arg0 != AF_VSOCK)", NULL);
	run_under(&policy, NULL, probes, 3, results, &nctx);

	assert_int_equal(nctx, 1);
	assert_int_equal(count_layers(&policy), 2);
	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], EPERM);
	sh_seccomp_policy_clear(&policy);
}

static void test_allowlist_cond_allow(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		NATIVE(SYS_personality, PER_LINUX32, 0, 0),
	};
	int results[2];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "@default, personality(arg0 == 0xffffffff)", NULL);
	run_under(&policy, NULL, probes, 2, results, NULL);

	assert_int_equal(results[0], 0);
	/* a call that matches no condition gets the profile's default */
	assert_int_equal(results[1], EPERM);
	sh_seccomp_policy_clear(&policy);
}

static void test_x32_and_int80_refused(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getpid, 0, 0, 0),
		{ PROBE_X32, SYS_getpid, { 0 } },
		/* getpid is 20 on i386 */
		{ PROBE_INT80, 20, { 0 } },
	};
	int results[3];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL, "mount");
	run_under(&policy, NULL, probes, 3, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], EPERM);
	sh_seccomp_policy_clear(&policy);
}

/* Allow-list of the probe child's own needs plus the conditional rules. */
#define CHILD_NEEDS "write, exit_group, wait4"

static void test_cond_allow_personality(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0, 0, 0),
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		NATIVE(SYS_personality, READ_IMPLIES_EXEC, 0, 0),
		/* allows compare 64 bits: high bits make the call miss */
		NATIVE(SYS_personality, 0x100000000UL, 0, 0),
		NATIVE(SYS_personality, 0xffffffff00000000UL, 0, 0),
		NATIVE(SYS_mount, 0, 0, 0),
		NATIVE(1000, 0, 0, 0),
		{ PROBE_X32, SYS_personality, { 0 } },
	};
	unsigned int nctx = 0;
	int results[8];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "@default, personality(arg0 == 0), personality(arg0 == 0xffffffff)",
		    NULL);
	run_under(&policy, NULL, probes, 8, results, &nctx);

	/* the first layer and the fallback layer, merged */
	assert_int_equal(nctx, 1);
	assert_int_equal(count_layers(&policy), 2);
	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], 0);
	assert_int_equal(results[2], EPERM);
	assert_int_equal(results[3], EPERM);
	assert_int_equal(results[4], EPERM);
	assert_int_equal(results[5], EPERM);
	/* no syscall at all: still ENOSYS, so libc falls back */
	assert_int_equal(results[6], ENOSYS);
	assert_int_equal(results[7], EPERM);
	sh_seccomp_policy_clear(&policy);
}

static void test_cond_allow_default_errno(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		NATIVE(SYS_personality, READ_IMPLIES_EXEC, 0, 0),
	};
	int results[2];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "@default, personality(arg0 == 0xffffffff)", NULL);
	policy.default_errno = EACCES;
	run_under(&policy, NULL, probes, 2, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EACCES);
	sh_seccomp_policy_clear(&policy);
}

static void test_cond_allow_two_args(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getpriority, PRIO_PROCESS, 0, 0),
		NATIVE(SYS_getpriority, PRIO_PROCESS, 1, 0),
		NATIVE(SYS_getpriority, PRIO_PGRP, 0, 0),
		NATIVE(SYS_getpriority, PRIO_USER, 0, 0),
		NATIVE(SYS_getpriority, PRIO_USER, 1001, 0),
		NATIVE(SYS_getpriority, PRIO_USER, 0x100000000UL, 0),
		NATIVE(SYS_getpid, 0, 0, 0),
	};
	int results[7];

	/*
	 * Each rule is an AND of its conditions, and the rules are ORed.
	 * PRIO_PROCESS is 0 and PRIO_USER is 2.
	 */
	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    CHILD_NEEDS ", getpriority(arg0 == 0, arg1 == 0), getpriority(arg0 == 2, arg1 <= 1000)",
		    NULL);
	run_under(&policy, NULL, probes, 7, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], EPERM);
	/* allowed; the kernel may find no process of that user */
	assert_int_not_equal(results[3], EPERM);
	assert_int_equal(results[4], EPERM);
	assert_int_equal(results[5], EPERM);
	assert_int_equal(results[6], EPERM);
	sh_seccomp_policy_clear(&policy);
}

static void test_cond_allow_masked_clone(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		{ PROBE_CLONE, 0, { SIGCHLD } },
		{ PROBE_CLONE, 0, { CLONE_NEWUSER | SIGCHLD } },
		{ PROBE_CLONE, 0, { CLONE_NEWNS | CLONE_NEWPID | SIGCHLD } },
		{ PROBE_CLONE, 0, { 0x100000000L | SIGCHLD } },
	};
	int results[4];

	/* Docker's rule: clone without any namespace flag */
	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    CHILD_NEEDS ", clone(arg0 & 0x7e020000 == 0)", NULL);
	run_under(&policy, NULL, probes, 4, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], EPERM);
	/* the high bits are outside the mask, as in runc */
	assert_int_equal(results[3], 0);
	sh_seccomp_policy_clear(&policy);
}

/* One comparison of a 64-bit argument against values around both words. */
struct op_case {
	const char *rule;
	bool (*holds)(uint64_t arg);
};

#define OP_VALUE 0x100000005ULL

static bool holds_eq(uint64_t arg) { return arg == OP_VALUE; }
static bool holds_ne(uint64_t arg) { return arg != OP_VALUE; }
static bool holds_lt(uint64_t arg) { return arg < OP_VALUE; }
static bool holds_le(uint64_t arg) { return arg <= OP_VALUE; }
static bool holds_gt(uint64_t arg) { return arg > OP_VALUE; }
static bool holds_ge(uint64_t arg) { return arg >= OP_VALUE; }
static bool holds_masked(uint64_t arg)
{
	return (arg & 0xf0000000fULL) == 0x100000005ULL;
}

static void test_cond_allow_64bit_ops(void **state)
{
	static const struct op_case cases[] = {
		{ "madvise(arg1 == 0x100000005)", holds_eq },
		{ "madvise(arg1 != 0x100000005)", holds_ne },
		{ "madvise(arg1 < 0x100000005)", holds_lt },
		{ "madvise(arg1 <= 0x100000005)", holds_le },
		{ "madvise(arg1 > 0x100000005)", holds_gt },
		{ "madvise(arg1 >= 0x100000005)", holds_ge },
		{ "madvise(arg1 & 0xf0000000f == 0x100000005)",
		  holds_masked },
	};
	static const uint64_t values[] = {
		0, 5, 6, 0xffffffff, 0x100000000, 0x100000004, 0x100000005,
		0x100000006, 0x1ffffffff, 0x200000000, 0x200000005,
		0xf00000005, 0x1f0000005, 0x100000015, UINT64_MAX,
	};
	struct probe probes[sizeof(values) / sizeof(values[0])];
	int results[sizeof(values) / sizeof(values[0])];
	size_t nvalues = sizeof(values) / sizeof(values[0]);
	size_t c, v;

	for (v = 0; v < nvalues; v++) {
		/* address 0, MADV_NORMAL: the kernel fails it, never EPERM */
		probes[v].kind = PROBE_NATIVE;
		probes[v].nr = SYS_madvise;
		probes[v].arg[0] = 0;
		probes[v].arg[1] = (long)values[v];
		probes[v].arg[2] = 0;
	}

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct sh_seccomp_policy policy;
		char allow[256];

		snprintf(allow, sizeof(allow), "%s, %s", CHILD_NEEDS,
			 cases[c].rule);
		policy_init(&policy, SH_SECCOMP_ALLOWLIST, allow, NULL);
		run_under(&policy, NULL, probes, nvalues, results, NULL);

		for (v = 0; v < nvalues; v++) {
			bool allowed = results[v] != EPERM;

			if (allowed != cases[c].holds(values[v]))
				fail_msg("%s with arg1 = 0x%llx: %s", cases[c].rule,
					 (unsigned long long)values[v],
					 allowed ? "allowed" : "denied");
		}
		sh_seccomp_policy_clear(&policy);
	}
}

static void test_cond_allow_keeps_deny_errno(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		NATIVE(SYS_personality, READ_IMPLIES_EXEC, 0, 0),
		NATIVE(SYS_personality, PER_LINUX32, 0, 0),
	};
	unsigned int nctx = 0;
	int results[3];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "@default, personality(arg0 == 0xffffffff)",
		    "personality(arg0 == READ_IMPLIES_EXEC):EACCES");
	run_under(&policy, NULL, probes, 3, results, &nctx);

	assert_int_equal(nctx, 1);
	assert_int_equal(count_layers(&policy), 3);
	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EACCES);
	assert_int_equal(results[2], EPERM);
	sh_seccomp_policy_clear(&policy);
}

/*
 * Merged layers load as one filter, so seccomp(2) keeps the verdict the
 * profile gives it: here none, as the allow-list does not name it.
 */
static void test_merged_keeps_seccomp_denied(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, 0),
		NATIVE(SYS_personality, READ_IMPLIES_EXEC, 0, 0),
	};
	unsigned int nctx = 0;
	int results[2];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "write, exit_group, personality(arg0 == 0xffffffff)",
		    "personality(arg0 == READ_IMPLIES_EXEC):EACCES");
	run_under(&policy, NULL, probes, 2, results, &nctx);

	assert_int_equal(nctx, 1);
	assert_int_equal(count_layers(&policy), 3);
	assert_int_equal(results[0], EPERM);
	assert_int_equal(results[1], EACCES);
	sh_seccomp_policy_clear(&policy);
}

/* An allow-list of ALLOW with 2500 conditional ioctl denies. */
static void long_policy_init(struct sh_seccomp_policy *policy,
			     const char *allow)
{
	struct sh_error err;
	unsigned int value;
	char rule[64];

	policy_init(policy, SH_SECCOMP_ALLOWLIST, allow, NULL);
	for (value = 1; value <= 2500; value++) {
		snprintf(rule, sizeof(rule), "ioctl(arg1 == %u):EACCES", value);
		memset(&err, 0, sizeof(err));
		if (sh_seccomp_add_list(policy, rule, false, "test.conf", 2,
					&err) < 0)
			fail_msg("%s: %s", rule, err.message);
	}
}

/*
 * Layers too long to merge are loaded as separate filters, which is exact
 * only when the profile allows seccomp(2) anyway, because every filter but
 * the last must allow it for the next one to load.
 */
static void test_stacked_when_too_long(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_ioctl, 0, 7, 0),
		NATIVE(SYS_ioctl, 0, 2501, 0),
		NATIVE(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, 0),
	};
	unsigned int nctx = 0;
	int results[3];

	long_policy_init(&policy, "write, exit_group, ioctl, seccomp");
	run_under(&policy, NULL, probes, 3, results, &nctx);

	assert_int_equal(nctx, 2);
	assert_int_equal(results[0], EACCES);
	assert_int_not_equal(results[1], EACCES);
	assert_int_not_equal(results[1], EPERM);
	/* allowed: fails on the NULL argument instead */
	assert_int_equal(results[2], EFAULT);
	sh_seccomp_policy_clear(&policy);
}

/* Stacking would allow seccomp(2) against the profile: refused instead. */
static void test_too_long_without_seccomp(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_bpf filters[SH_FILTERS_MAX];
	struct sh_error err;
	unsigned int count = 0;

	long_policy_init(&policy, "write, exit_group, ioctl");
	memset(&err, 0, sizeof(err));

	assert_int_equal(sh_filter_compile(&policy, NULL, filters, &count,
					   &err), -E2BIG);
	assert_int_equal(count, 0);
	assert_string_equal(err.key, "seccomp");
	assert_non_null(strstr(err.message, "allow seccomp"));
	sh_seccomp_policy_clear(&policy);
}

static void test_cond_allow_complain(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		/* logged and allowed: the kernel reads persona 0 */
		NATIVE(SYS_personality, 0x100000000UL, 0, 0),
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
	};
	int results[3];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "@default, personality(arg0 == 0xffffffff)", NULL);
	policy.complain = true;
	run_under(&policy, NULL, probes, 3, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], 0);
	assert_int_equal(results[2], 0);
	sh_seccomp_policy_clear(&policy);
}

static void test_cond_allow_kill_default(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		NATIVE(SYS_personality, READ_IMPLIES_EXEC, 0, 0),
	};
	int results[2];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "@default, personality(arg0 == 0xffffffff)", NULL);
	policy.default_action.kind = SH_ACT_KILL_PROCESS;
	run_under(&policy, NULL, probes, 2, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], RESULT_KILLED);
	sh_seccomp_policy_clear(&policy);
}

static void test_cond_allow_allowance_wins(void **state)
{
	static const char *const allowance[] = { "personality", NULL };
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
	};
	unsigned int nctx = 0;
	int results[1];
	struct sh_bpf fallback;
	struct sh_error err;

	policy_init(&policy, SH_SECCOMP_ALLOWLIST,
		    "@default, personality(arg0 == 0)", NULL);
	run_under(&policy, allowance, probes, 1, results, &nctx);

	assert_int_equal(nctx, 1);
	assert_int_equal(results[0], 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(sh_filter_build_fallback(&policy, allowance, false,
						  &fallback, &err), 0);
	assert_int_equal(fallback.len, 0);
	assert_null(fallback.insns);
	sh_seccomp_policy_clear(&policy);
}

static void test_denylist_no_fallback(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		NATIVE(SYS_personality, READ_IMPLIES_EXEC, 0, 0),
		NATIVE(SYS_mount, 0, 0, 0),
	};
	unsigned int nctx = 0;
	int results[3];
	struct sh_bpf fallback;
	struct sh_error err;

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL,
		    "personality(arg0 == READ_IMPLIES_EXEC):EACCES");
	run_under(&policy, NULL, probes, 3, results, &nctx);

	assert_int_equal(nctx, 1);
	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EACCES);
	/* not denied: reaches the kernel, which rejects the NULL source */
	assert_int_not_equal(results[2], EPERM);

	memset(&err, 0, sizeof(err));
	assert_int_equal(sh_filter_build_fallback(&policy, NULL, false, &fallback,
						  &err), 0);
	assert_int_equal(fallback.len, 0);
	sh_seccomp_policy_clear(&policy);
}

static void test_x32_refused_allowlist(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		{ PROBE_X32, SYS_getpid, { 0 } },
		{ PROBE_INT80, 20, { 0 } },
	};
	int results[2];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default", NULL);
	run_under(&policy, NULL, probes, 2, results, NULL);

	assert_int_equal(results[0], EPERM);
	assert_int_equal(results[1], EPERM);
	sh_seccomp_policy_clear(&policy);
}

/* The generated filter sends other architectures to ERRNO, not KILL. */
static void test_pfc_badarch_errno(void **state)
{
	struct sh_seccomp_policy policy;
	scmp_filter_ctx ctx[2];
	struct sh_error err;
	unsigned int nctx;
	char text[65536];
	FILE *out;
	size_t len;

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL, "mount");
	assert_int_equal(sh_filter_build(&policy, NULL, false, ctx, &nctx, &err), 0);

	out = tmpfile();
	assert_non_null(out);
	assert_int_equal(seccomp_export_pfc(ctx[0], fileno(out)), 0);
	rewind(out);
	len = fread(text, 1, sizeof(text) - 1, out);
	text[len] = '\0';
	fclose(out);

	assert_non_null(strstr(text, "# invalid architecture action\naction ERRNO(1);"));
	seccomp_release(ctx[0]);
	sh_seccomp_policy_clear(&policy);
}

static void test_denylist_groups(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_unshare, 0, 0, 0),
		NATIVE(SYS_setns, -1, 0, 0),
		NATIVE(SYS_io_uring_setup, 0, 0, 0),
		NATIVE(SYS_getpid, 0, 0, 0),
	};
	int results[4];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL,
		    "@namespace, @io-uring:ENOSYS");
	run_under(&policy, NULL, probes, 4, results, NULL);

	assert_int_equal(results[0], EPERM);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], ENOSYS);
	assert_int_equal(results[3], 0);
	sh_seccomp_policy_clear(&policy);
}

static void test_denylist_allow_exception(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_unshare, 0, 0, 0),
		NATIVE(SYS_setns, -1, 0, 0),
	};
	int results[2];

	policy_init(&policy, SH_SECCOMP_DENYLIST, "unshare", "@namespace");
	run_under(&policy, NULL, probes, 2, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	sh_seccomp_policy_clear(&policy);
}

/*
 * Imported OCI profiles follow runc: a number that is no syscall gets the
 * profile's errno below the highest syscall the rules name, ENOSYS above.
 */
static void test_unnamed_below_max_denied(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 0, 0, 0),
		NATIVE(400, 0, 0, 0),
		NATIVE(1000, 0, 0, 0),
	};
	unsigned int nctx = 0;
	int results[3];

	(void)state;
	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default, pidfd_open",
		    NULL);
	policy.unnamed_below_max_denied = true;
	run_under(&policy, NULL, probes, 3, results, &nctx);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], ENOSYS);
	sh_seccomp_policy_clear(&policy);

	/* without the flag, every number libseccomp cannot name is ENOSYS */
	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default, pidfd_open",
		    NULL);
	run_under(&policy, NULL, probes, 3, results, &nctx);
	assert_int_equal(results[1], ENOSYS);
	sh_seccomp_policy_clear(&policy);
}

/*
 * In a deny-list, conditional allows restrict a syscall to the values they
 * name: here personality may only query or reset, so a flag that weakens
 * memory protection fails, with or without bit 31 set.
 */
static void test_denylist_cond_allow_restricts(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0, 0, 0),
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		NATIVE(SYS_personality, ADDR_NO_RANDOMIZE, 0, 0),
		NATIVE(SYS_personality, 0x80000000UL | ADDR_NO_RANDOMIZE, 0, 0),
		NATIVE(SYS_getppid, 0, 0, 0),
		NATIVE(SYS_mount, 0, 0, 0),
	};
	unsigned int nctx = 0;
	int results[6];

	(void)state;
	policy_init(&policy, SH_SECCOMP_DENYLIST,
		    "personality(arg0 == 0), personality(arg0 == 0xffffffff)",
		    "mount");
	run_under(&policy, NULL, probes, 6, results, &nctx);

	/* the deny-list and the fallback layer, merged */
	assert_int_equal(nctx, 1);
	assert_int_equal(count_layers(&policy), 2);
	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], 0);
	assert_int_equal(results[2], EPERM);
	assert_int_equal(results[3], EPERM);
	assert_int_equal(results[4], 0);
	assert_int_equal(results[5], EPERM);
	sh_seccomp_policy_clear(&policy);
}

static void test_allowance_overrides_deny(void **state)
{
	static const char *const allowance[] = { "getppid", "unshare", NULL };
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 0, 0, 0),
		NATIVE(SYS_unshare, 0, 0, 0),
		NATIVE(SYS_unshare, CLONE_NEWUSER, 0, 0),
	};
	int results[3];

	policy_init(&policy, SH_SECCOMP_ALLOWLIST, "@default",
		    "getppid, unshare(arg0 & CLONE_NEWUSER == CLONE_NEWUSER)");
	run_under(&policy, allowance, probes, 3, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], 0);
	/* a conditional deny of an allowance member stays in force */
	assert_int_equal(results[2], EPERM);
	sh_seccomp_policy_clear(&policy);
}

static void test_allowance_in_denylist(void **state)
{
	static const char *const allowance[] = { "getppid", NULL };
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 0, 0, 0),
		NATIVE(SYS_getpid, 0, 0, 0),
	};
	int results[2];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL, "getppid, getpid");
	run_under(&policy, allowance, probes, 2, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	sh_seccomp_policy_clear(&policy);
}

static void test_complain_logs(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 0, 0, 0),
		NATIVE(SYS_setns, -1, 0, 0),
	};
	int results[2];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL, "getppid, setns");
	policy.complain = true;
	run_under(&policy, NULL, probes, 2, results, NULL);

	assert_int_equal(results[0], 0);
	/* reached the kernel: bad fd */
	assert_int_equal(results[1], EBADF);
	sh_seccomp_policy_clear(&policy);
}

static void test_kill_action(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 0, 0, 0),
	};
	int results[1];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL, "getppid:kill");
	run_under(&policy, NULL, probes, 1, results, NULL);

	assert_int_equal(results[0], RESULT_KILLED);
	sh_seccomp_policy_clear(&policy);
}

static void test_default_action_kill(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 0, 0, 0),
	};
	int results[1];

	/* a deny without its own action takes the profile's default */
	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL, "getppid");
	policy.default_action.kind = SH_ACT_KILL_PROCESS;
	run_under(&policy, NULL, probes, 1, results, NULL);

	assert_int_equal(results[0], RESULT_KILLED);
	sh_seccomp_policy_clear(&policy);
}

static void test_conflict_two_errnos(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_error err;

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL,
		    "mount:EPERM, @mount:EACCES");
	assert_int_equal(build_error(&policy, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.message, "mount is denied with"));
	sh_seccomp_policy_clear(&policy);
}

static void test_conflict_strictest_wins(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 0, 0, 0),
	};
	int results[1];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL,
		    "getppid:EACCES, getppid:kill");
	run_under(&policy, NULL, probes, 1, results, NULL);

	assert_int_equal(results[0], RESULT_KILLED);
	sh_seccomp_policy_clear(&policy);
}

static void test_denylist_stricter_cond_deny(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getppid, 1, 0, 0),
		NATIVE(SYS_getppid, 0, 0, 0),
	};
	unsigned int nctx = 0;
	int results[2];

	/* an unconditional EACCES and a stricter conditional kill */
	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL,
		    "getppid:EACCES, getppid(arg0 == 1):kill");
	run_under(&policy, NULL, &probes[1], 1, results, &nctx);
	assert_int_equal(nctx, 1);
	assert_int_equal(count_layers(&policy), 2);
	assert_int_equal(results[0], EACCES);

	run_under(&policy, NULL, &probes[0], 1, results, NULL);
	assert_int_equal(results[0], RESULT_KILLED);
	sh_seccomp_policy_clear(&policy);
}

static void test_mode_off(void **state)
{
	struct sh_seccomp_policy policy;
	scmp_filter_ctx ctx[2];
	struct sh_error err;
	unsigned int nctx = 9;

	memset(&policy, 0, sizeof(policy));
	assert_int_equal(sh_filter_build(&policy, NULL, false, ctx, &nctx, &err), 0);
	assert_int_equal(nctx, 0);
}

static void test_unknown_allowance(void **state)
{
	static const char *const allowance[] = { "no_such_call", NULL };
	struct sh_seccomp_policy policy;
	struct sh_error err;

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL, "mount");
	assert_int_equal(build_error(&policy, allowance, &err), -EINVAL);
	assert_non_null(strstr(err.message, "no_such_call"));
	sh_seccomp_policy_clear(&policy);
}

static void test_secondary_arch(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_getpid, 0, 0, 0),
		{ PROBE_INT80, 20, { 0 } },
		/* mount is 21 on i386 */
		{ PROBE_INT80, 21, { 0 } },
	};
	int results[3];

	policy_init(&policy, SH_SECCOMP_DENYLIST, NULL, "mount:EACCES");
	policy.narch = 1;
	policy.arch[0] = SCMP_ARCH_X86;
	run_under(&policy, NULL, probes, 3, results, NULL);

	assert_int_equal(results[0], 0);
	if (results[1] == ENOSYS || results[1] == RESULT_KILLED) {
		/* the kernel runs without 32-bit emulation */
		skip();
	}
	assert_int_equal(results[1], 0);
	assert_int_equal(results[2], EACCES);
	sh_seccomp_policy_clear(&policy);
}

/*
 * Conditional allows of many syscalls with a secondary architecture: the
 * fallback layer's jumps past its per-syscall blocks go beyond the 255
 * instructions a conditional jump reaches.
 */
static void test_many_cond_allows_secondary_arch(void **state)
{
	struct sh_seccomp_policy policy;
	const struct probe probes[] = {
		NATIVE(SYS_personality, 0xffffffffUL, 0, 0),
		NATIVE(SYS_personality, READ_IMPLIES_EXEC, 0, 0),
		NATIVE(SYS_getppid, 1, 0, 0),
		NATIVE(SYS_getppid, 2, 0, 0),
	};
	struct sh_error err;
	unsigned int nr, count = 0;
	char rule[96];
	int results[4];

	policy_init(&policy, SH_SECCOMP_DENYLIST,
		    "personality(arg0 == 0xffffffff), getppid(arg0 == 1)", NULL);
	for (nr = 200; count < 120 && nr < 400; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64,
							      (int)nr);

		if (!name)
			continue;
		snprintf(rule, sizeof(rule), "%s(arg1 == 7)", name);
		free(name);
		memset(&err, 0, sizeof(err));
		if (sh_seccomp_add_list(&policy, rule, true, "test.conf", 1,
					&err) < 0)
			fail_msg("%s: %s", rule, err.message);
		count++;
	}
	policy.narch = 1;
	policy.arch[0] = SCMP_ARCH_X86;
	run_under(&policy, NULL, probes, 4, results, NULL);

	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], EPERM);
	assert_int_equal(results[2], 0);
	assert_int_equal(results[3], EPERM);
	sh_seccomp_policy_clear(&policy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowlist_basics),
		cmocka_unit_test(test_allowlist_explicit_deny),
		cmocka_unit_test(test_allowlist_default_errno),
		cmocka_unit_test(test_tiocsti_high_bits_denied),
		cmocka_unit_test(test_masked_deny_high_bits),
		cmocka_unit_test(test_allow_and_cond_deny_both),
		cmocka_unit_test(test_allowlist_single_context),
		cmocka_unit_test(test_allow_ne_32bit),
		cmocka_unit_test(test_allowlist_cond_allow),
		cmocka_unit_test(test_cond_allow_personality),
		cmocka_unit_test(test_cond_allow_default_errno),
		cmocka_unit_test(test_cond_allow_two_args),
		cmocka_unit_test(test_cond_allow_masked_clone),
		cmocka_unit_test(test_cond_allow_64bit_ops),
		cmocka_unit_test(test_cond_allow_keeps_deny_errno),
		cmocka_unit_test(test_merged_keeps_seccomp_denied),
		cmocka_unit_test(test_stacked_when_too_long),
		cmocka_unit_test(test_many_cond_allows_secondary_arch),
		cmocka_unit_test(test_too_long_without_seccomp),
		cmocka_unit_test(test_cond_allow_complain),
		cmocka_unit_test(test_cond_allow_kill_default),
		cmocka_unit_test(test_cond_allow_allowance_wins),
		cmocka_unit_test(test_denylist_no_fallback),
		cmocka_unit_test(test_x32_and_int80_refused),
		cmocka_unit_test(test_x32_refused_allowlist),
		cmocka_unit_test(test_pfc_badarch_errno),
		cmocka_unit_test(test_denylist_groups),
		cmocka_unit_test(test_denylist_allow_exception),
		cmocka_unit_test(test_denylist_cond_allow_restricts),
		cmocka_unit_test(test_unnamed_below_max_denied),
		cmocka_unit_test(test_allowance_overrides_deny),
		cmocka_unit_test(test_allowance_in_denylist),
		cmocka_unit_test(test_complain_logs),
		cmocka_unit_test(test_kill_action),
		cmocka_unit_test(test_default_action_kill),
		cmocka_unit_test(test_conflict_two_errnos),
		cmocka_unit_test(test_conflict_strictest_wins),
		cmocka_unit_test(test_denylist_stricter_cond_deny),
		cmocka_unit_test(test_mode_off),
		cmocka_unit_test(test_unknown_allowance),
		cmocka_unit_test(test_secondary_arch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
