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
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sechard.h"

/* Reported when the child died of a signal before answering. */
#define RESULT_KILLED -1000

enum probe_kind {
	PROBE_NATIVE,	/* syscall(2) on the x86_64 entry point */
	PROBE_X32,	/* the x32 entry point: nr | 0x40000000 */
	PROBE_INT80,	/* the 32-bit entry point: int $0x80 */
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

/* 0 on success, else the errno value. */
static int run_probe(const struct probe *probe)
{
	long ret;

	switch (probe->kind) {
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

static void child_main(scmp_filter_ctx ctx[2], unsigned int nctx,
		       const struct probe *probes, size_t nprobes, int fd)
{
	size_t i;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(2);
	for (i = 0; i < nctx; i++) {
		if (seccomp_load(ctx[i]) < 0)
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
 * Build POLICY, run PROBES under it in a child and store one errno per probe
 * (0 for success, RESULT_KILLED if the child died first) in RESULTS.
 */
static void run_under(const struct sh_seccomp_policy *policy,
		      const char *const *allowance, const struct probe *probes,
		      size_t nprobes, int *results, unsigned int *ret_nctx)
{
	scmp_filter_ctx ctx[2];
	struct sh_error err;
	unsigned int nctx;
	int pipe_fd[2];
	size_t i;
	pid_t pid;
	int r;

	memset(&err, 0, sizeof(err));
	r = sh_filter_build(policy, allowance, ctx, &nctx, &err);
	if (r < 0)
		fail_msg("sh_filter_build: %s", err.message);
	if (ret_nctx)
		*ret_nctx = nctx;

	assert_int_equal(pipe(pipe_fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pipe_fd[0]);
		child_main(ctx, nctx, probes, nprobes, pipe_fd[1]);
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
		seccomp_release(ctx[i]);
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
	r = sh_filter_build(policy, allowance, ctx, &nctx, err);
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

	assert_int_equal(nctx, 2);
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

	assert_int_equal(nctx, 2);
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
	/* NOTE: a call that matches no condition gets the filter default */
	assert_int_not_equal(results[1], 0);
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
	assert_int_equal(sh_filter_build(&policy, NULL, ctx, &nctx, &err), 0);

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

static void test_denylist_cond_allow_error(void **state)
{
	struct sh_seccomp_policy policy;
	struct sh_error err;

	policy_init(&policy, SH_SECCOMP_DENYLIST, "ioctl(arg1 == TCGETS)",
		    "ioctl");
	assert_int_equal(build_error(&policy, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.message, "conditional allow"));
	assert_string_equal(err.file, "test.conf");
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
	assert_int_equal(nctx, 2);
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
	assert_int_equal(sh_filter_build(&policy, NULL, ctx, &nctx, &err), 0);
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
		cmocka_unit_test(test_x32_and_int80_refused),
		cmocka_unit_test(test_x32_refused_allowlist),
		cmocka_unit_test(test_pfc_badarch_errno),
		cmocka_unit_test(test_denylist_groups),
		cmocka_unit_test(test_denylist_allow_exception),
		cmocka_unit_test(test_denylist_cond_allow_error),
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
