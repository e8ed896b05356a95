// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The seccomp filter simulator against the kernel.  Each policy is written
 * to a configuration file in a private folder, loaded and built into a plan.
 * Every call is then evaluated with sh_plan_verdict() and also made for real
 * in a forked child that loaded the same plan with sh_plan_enforce().  The
 * child sets PR_SET_NO_NEW_PRIVS first, so no root is needed.  Both results
 * must agree.  A second
 * set of cases runs hand-written programs through the interpreter, malformed
 * ones included.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sechard.h"

#define X32_SYSCALL_BIT 0x40000000L
#define CLONE_NEWUSER_FLAG 0x10000000ULL
/* Above any pid_max, so kill() on it only returns ESRCH. */
#define ABSENT_PID 0x3ffffff0ULL

/* i386 and x32 numbers used below, from the kernel's syscall tables. */
#define I386_GETPPID 64
#define I386_PERSONALITY 136
#define X32_GETPPID 110
#define X32_PERSONALITY 135

/* Number of filters a plan has room for. */
#define PLAN_FILTERS_MAX \
	(sizeof(((struct sh_plan *)0)->filters) / sizeof(struct sh_bpf))

/* The expectation of a call whose verdict the test does not fix. */
#define ANY_ACTION 0xffffffffU

enum call_abi {
	ABI_NATIVE,	/* syscall(2) on the x86_64 entry point */
	ABI_X32,	/* the x32 entry point: nr | X32_SYSCALL_BIT */
	ABI_I386,	/* the 32-bit entry point: int $0x80 */
};

struct call {
	const char *label;
	enum call_abi abi;
	long nr;		/* number in its ABI, without the x32 bit */
	uint64_t args[6];
	uint32_t expected;	/* simulated action, or ANY_ACTION */
};

enum outcome_kind {
	OUTCOME_RETURNED,	/* error: errno, 0 for success */
	OUTCOME_TRAPPED,	/* error: SECCOMP_RET_DATA of the trap */
	OUTCOME_KILLED,		/* died of SIGSYS */
	OUTCOME_OTHER,		/* error: wait status of any other end */
};

struct outcome {
	enum outcome_kind kind;
	int error;
};

static char folder[64];
static int devnull_fd = -1;
/* ioctl(TIOCSTI) reads one byte here; the address is the same in the child. */
static char tiocsti_byte = 'x';

/* ------------------------------------------------------------------------ */
/* Calls */

static struct call native(const char *label, long nr, uint64_t arg0,
			  uint64_t arg1, uint64_t arg2, uint32_t expected)
{
	struct call call = {
		.label = label,
		.abi = ABI_NATIVE,
		.nr = nr,
		.args = { arg0, arg1, arg2 },
		.expected = expected,
	};

	return call;
}

static struct call other_abi(const char *label, enum call_abi abi, long nr,
			     uint64_t arg0, uint32_t expected)
{
	struct call call = {
		.label = label,
		.abi = abi,
		.nr = nr,
		.args = { arg0 },
		.expected = expected,
	};

	return call;
}

static long run_x32(long nr)
{
	long ret = nr | X32_SYSCALL_BIT;

	__asm__ volatile("syscall"
			 : "+a"(ret)
			 :
			 : "rcx", "r11", "memory");
	return ret;
}

static long run_int80(long nr, uint64_t arg0)
{
	long ret = nr;

	__asm__ volatile("int $0x80"
			 : "+a"(ret)
			 : "b"(arg0), "c"(0L), "d"(0L)
			 : "r8", "r9", "r10", "r11", "memory");
	/* the 32-bit ABI returns in eax: sign-extend -errno */
	return (long)(int)ret;
}

/* Make CALL; returns 0 on success or the errno value. */
static int make_call(const struct call *call)
{
	long ret;

	switch (call->abi) {
	case ABI_X32:
		ret = run_x32(call->nr);
		return ret < 0 && ret > -4096 ? (int)-ret : 0;
	case ABI_I386:
		ret = run_int80(call->nr, call->args[0]);
		return ret < 0 && ret > -4096 ? (int)-ret : 0;
	case ABI_NATIVE:
	default:
		errno = 0;
		ret = syscall(call->nr, call->args[0], call->args[1],
			      call->args[2], call->args[3], call->args[4],
			      call->args[5]);
		if (ret >= 0 && call->nr == SYS_socket)
			close((int)ret);
		return ret < 0 ? errno : 0;
	}
}

/* ------------------------------------------------------------------------ */
/* The kernel's result */

static volatile sig_atomic_t trapped;
static volatile sig_atomic_t trap_data;

static void on_sigsys(int sig, siginfo_t *info, void *context)
{
	trapped = 1;
	trap_data = info->si_errno;
}

/* In the child: enforce PLAN (unless NULL), make CALL, report on FD. */
static void child_main(const struct sh_plan *plan, const struct call *call,
		       int fd)
{
	const struct rlimit no_core = { 0, 0 };
	struct sigaction action = { 0 };
	struct outcome outcome = { OUTCOME_RETURNED, 0 };
	struct sh_error err;
	int error;

	/* a killed child must not leave core files behind */
	setrlimit(RLIMIT_CORE, &no_core);
	action.sa_sigaction = on_sigsys;
	action.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &action, NULL) < 0)
		_exit(2);

	if (plan) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(3);
		if (sh_plan_enforce(plan, &err) < 0)
			_exit(4);
	}

	error = make_call(call);
	if (trapped) {
		outcome.kind = OUTCOME_TRAPPED;
		outcome.error = trap_data;
	} else {
		outcome.error = error;
	}
	if (write(fd, &outcome, sizeof(outcome)) != sizeof(outcome))
		_exit(5);
	_exit(0);
}

/* Make CALL in a child under PLAN, or unconfined when PLAN is NULL. */
static struct outcome run_in_child(const struct sh_plan *plan,
				   const struct call *call)
{
	struct outcome outcome = { OUTCOME_OTHER, 0 };
	int pipe_fd[2];
	int status;
	pid_t pid;

	assert_int_equal(pipe(pipe_fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pipe_fd[0]);
		child_main(plan, call, pipe_fd[1]);
	}
	close(pipe_fd[1]);

	if (read(pipe_fd[0], &outcome, sizeof(outcome)) != sizeof(outcome))
		outcome.kind = OUTCOME_OTHER;
	close(pipe_fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
		outcome.kind = OUTCOME_KILLED;
		outcome.error = 0;
	} else if (outcome.kind == OUTCOME_OTHER) {
		outcome.error = status;
	}
	return outcome;
}

/* ------------------------------------------------------------------------ */
/* The simulator's result */

static uint32_t simulate(const struct sh_plan *plan, const struct call *call)
{
	struct seccomp_data data;
	uint32_t action = 0;

	memset(&data, 0, sizeof(data));
	data.nr = (int)(call->abi == ABI_X32 ? call->nr | X32_SYSCALL_BIT :
					       call->nr);
	data.arch = call->abi == ABI_I386 ? AUDIT_ARCH_I386 :
					    AUDIT_ARCH_X86_64;
	memcpy(data.args, call->args, sizeof(data.args));

	assert_int_equal(sh_plan_verdict(plan, &data, &action), 0);
	return action;
}

/*
 * What the kernel does with a call that gets ACTION from the filters, given
 * NATURAL, what the same call does without a filter.  TRACE and USER_NOTIF
 * fail with ENOSYS when no tracer or listener is attached.
 */
static struct outcome predict(uint32_t action, struct outcome natural)
{
	struct outcome outcome = { OUTCOME_RETURNED, 0 };
	uint32_t data = action & SECCOMP_RET_DATA;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return natural;
	case SECCOMP_RET_ERRNO:
		outcome.error = data > 4095 ? 4095 : (int)data;
		return outcome;
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_USER_NOTIF:
		outcome.error = ENOSYS;
		return outcome;
	case SECCOMP_RET_TRAP:
		outcome.kind = OUTCOME_TRAPPED;
		outcome.error = (int)data;
		return outcome;
	default:
		outcome.kind = OUTCOME_KILLED;
		return outcome;
	}
}

/* ------------------------------------------------------------------------ */
/* Plans from configuration files */

static int make_folder(void **state)
{
	snprintf(folder, sizeof(folder), "/tmp/sechard-bpfsim-XXXXXX");
	if (!mkdtemp(folder))
		return -1;
	devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	return devnull_fd < 0 ? -1 : 0;
}

static int remove_folder(void **state)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/sechard.conf", folder);
	unlink(path);
	rmdir(folder);
	if (devnull_fd >= 0)
		close(devnull_fd);
	return 0;
}

/*
 * Build the plan of a profile with caps = all and no_new_privs = yes whose
 * seccomp settings are SECCOMP_LINES, for enforcement at POINT.
 */
static struct sh_plan *build_plan(const char *seccomp_lines,
				  enum sh_enforce_point point)
{
	struct sh_config *config = NULL;
	const struct sh_profile *profile;
	struct sh_plan *plan = NULL;
	struct sh_error err;
	char path[128];
	FILE *file;

	snprintf(path, sizeof(path), "%s/sechard.conf", folder);
	file = fopen(path, "w");
	assert_non_null(file);
	fprintf(file,
		"[global]\ndefault = subject\n\n"
		"[profile subject]\ncaps = all\nno_new_privs = yes\n%s\n",
		seccomp_lines);
	assert_int_equal(fclose(file), 0);
	assert_int_equal(chmod(path, 0600), 0);

	memset(&err, 0, sizeof(err));
	if (sh_config_load(path, &config, &err) < 0)
		fail_msg("sh_config_load: %s:%u: %s: %s", err.file, err.line,
			 err.key, err.message);
	profile = sh_config_find_profile(config, "subject");
	assert_non_null(profile);
	if (sh_plan_build(profile, point, &plan, &err) < 0)
		fail_msg("sh_plan_build: %s: %s", err.key, err.message);

	/* the plan keeps a pointer to the profile name only */
	plan->profile_name = "subject";
	sh_config_free(config);
	return plan;
}

static const char *kind_name(enum outcome_kind kind)
{
	switch (kind) {
	case OUTCOME_RETURNED:
		return "returned";
	case OUTCOME_TRAPPED:
		return "trapped";
	case OUTCOME_KILLED:
		return "killed by SIGSYS";
	default:
		return "ended otherwise";
	}
}

/*
 * Compare the simulator with the kernel for one call.  Returns false when
 * the call cannot be made on this machine (the 32-bit entry point is
 * disabled), after printing why.
 */
static bool check_call(const struct sh_plan *plan, const struct call *call,
		       bool check_expected)
{
	struct outcome natural = run_in_child(NULL, call);
	struct outcome observed, expected;
	uint32_t action = simulate(plan, call);

	if (natural.kind == OUTCOME_OTHER) {
		print_message("%s: cannot be made here (wait status 0x%x)\n",
			      call->label, natural.error);
		return false;
	}

	if (check_expected && call->expected != ANY_ACTION &&
	    action != call->expected)
		fail_msg("%s: simulated action 0x%08x, expected 0x%08x",
			 call->label, action, call->expected);

	observed = run_in_child(plan, call);
	expected = predict(action, natural);
	if (observed.kind != expected.kind || observed.error != expected.error)
		fail_msg("%s: simulated action 0x%08x predicts %s %d, the kernel %s %d",
			 call->label, action, kind_name(expected.kind),
			 expected.error, kind_name(observed.kind),
			 observed.error);
	return true;
}

/*
 * Check CALLS under the policy SECCOMP_LINES enforced at POINT, where their
 * expected actions hold, and under the other enforcement point, where only
 * agreement with the kernel is checked.
 */
static void check_policy(const char *seccomp_lines,
			 enum sh_enforce_point point, const struct call *calls,
			 size_t ncalls)
{
	enum sh_enforce_point other = point == SH_ENFORCE_OPEN ?
					      SH_ENFORCE_CHILD :
					      SH_ENFORCE_OPEN;
	struct sh_plan *plan;
	size_t i;

	plan = build_plan(seccomp_lines, point);
	for (i = 0; i < ncalls; i++)
		check_call(plan, &calls[i], true);
	sh_plan_free(plan);

	plan = build_plan(seccomp_lines, other);
	for (i = 0; i < ncalls; i++)
		check_call(plan, &calls[i], false);
	sh_plan_free(plan);
}

/* ------------------------------------------------------------------------ */
/* Policies against the kernel */

#define ERRNO(e) (SECCOMP_RET_ERRNO | (e))

static const char allowlist_lines[] =
	"seccomp = allowlist\n"
	"seccomp_allow = write, exit_group, rt_sigreturn, close, getppid\n";

static void test_allowlist_open(void **state)
{
	const struct call calls[] = {
		native("getppid", SYS_getppid, 0, 0, 0, SECCOMP_RET_ALLOW),
		native("personality query", SYS_personality, 0xffffffff, 0,
		       0, ERRNO(EPERM)),
		/* socket is in the allowance of enforce=open */
		native("socket netlink", SYS_socket, AF_NETLINK,
		       SOCK_RAW | SOCK_CLOEXEC, 0, SECCOMP_RET_ALLOW),
		native("unknown number 1000", 1000, 0, 0, 0, ERRNO(ENOSYS)),
		other_abi("x32 getppid", ABI_X32, X32_GETPPID, 0,
			  ERRNO(EPERM)),
		other_abi("i386 getppid", ABI_I386, I386_GETPPID, 0,
			  ERRNO(EPERM)),
	};

	check_policy(allowlist_lines, SH_ENFORCE_OPEN, calls,
		     sizeof(calls) / sizeof(calls[0]));
}

static void test_allowlist_child(void **state)
{
	const struct call calls[] = {
		native("getppid", SYS_getppid, 0, 0, 0, SECCOMP_RET_ALLOW),
		native("socket netlink", SYS_socket, AF_NETLINK,
		       SOCK_RAW | SOCK_CLOEXEC, 0, ERRNO(EPERM)),
		/* setresuid(-1, -1, -1) changes nothing when allowed */
		native("setresuid allowance", SYS_setresuid, (uint64_t)-1,
		       (uint64_t)-1, (uint64_t)-1, SECCOMP_RET_ALLOW),
	};

	check_policy(allowlist_lines, SH_ENFORCE_CHILD, calls,
		     sizeof(calls) / sizeof(calls[0]));
}

static void test_denylist_actions(void **state)
{
	const char lines[] =
		"seccomp = denylist\n"
		"seccomp_deny = personality, getppid:trap, "
		"socket(arg0 == AF_NETLINK):EACCES\n";
	const struct call calls[] = {
		native("getppid traps", SYS_getppid, 0, 0, 0,
		       SECCOMP_RET_TRAP),
		native("personality query", SYS_personality, 0xffffffff, 0,
		       0, ERRNO(EPERM)),
		native("socket netlink", SYS_socket, AF_NETLINK,
		       SOCK_RAW | SOCK_CLOEXEC, 0, ERRNO(EACCES)),
		native("socket unix", SYS_socket, AF_UNIX,
		       SOCK_STREAM | SOCK_CLOEXEC, 0, SECCOMP_RET_ALLOW),
		native("unknown number 1000", 1000, 0, 0, 0,
		       SECCOMP_RET_ALLOW),
		other_abi("x32 getppid", ABI_X32, X32_GETPPID, 0,
			  ERRNO(EPERM)),
		other_abi("i386 getppid", ABI_I386, I386_GETPPID, 0,
			  ERRNO(EPERM)),
	};

	check_policy(lines, SH_ENFORCE_OPEN, calls,
		     sizeof(calls) / sizeof(calls[0]));
}

static void test_denylist_kill(void **state)
{
	const char lines[] =
		"seccomp = denylist\n"
		"seccomp_action = kill\n"
		"seccomp_deny = getppid, personality:kill-thread\n";
	const struct call calls[] = {
		native("getppid kills", SYS_getppid, 0, 0, 0,
		       SECCOMP_RET_KILL_PROCESS),
		native("personality kills the thread", SYS_personality,
		       0xffffffff, 0, 0, SECCOMP_RET_KILL_THREAD),
		native("getpid", SYS_getpid, 0, 0, 0, SECCOMP_RET_ALLOW),
	};

	check_policy(lines, SH_ENFORCE_OPEN, calls,
		     sizeof(calls) / sizeof(calls[0]));
}

static void test_argument_rules(void **state)
{
	const char lines[] =
		"seccomp = allowlist\n"
		"seccomp_allow = write, exit_group, rt_sigreturn, close, "
		"ioctl, personality(arg0 == 0xffffffff), kill(arg1 != 9)\n"
		"seccomp_deny = ioctl(arg1 == TIOCSTI)\n";
	const uint64_t fd = (uint64_t)devnull_fd;
	const uint64_t byte = (uint64_t)(uintptr_t)&tiocsti_byte;
	const struct call calls[] = {
		native("ioctl TIOCSTI", SYS_ioctl, fd, TIOCSTI, byte,
		       ERRNO(EPERM)),
		native("ioctl TIOCSTI with high bits", SYS_ioctl, fd,
		       0x100000000ULL | TIOCSTI, byte, ERRNO(EPERM)),
		native("ioctl TCGETS", SYS_ioctl, fd, TCGETS, byte,
		       SECCOMP_RET_ALLOW),
		native("personality query", SYS_personality, 0xffffffff, 0,
		       0, SECCOMP_RET_ALLOW),
		/* no allow rule matches: EPERM or ENOSYS, whatever it is */
		native("personality PER_LINUX32", SYS_personality, 0x0008, 0,
		       0, ANY_ACTION),
		native("kill signal 0", SYS_kill, ABSENT_PID, 0, 0,
		       SECCOMP_RET_ALLOW),
		native("kill SIGKILL", SYS_kill, ABSENT_PID, 9, 0,
		       ERRNO(EPERM)),
		native("kill SIGKILL with high bits", SYS_kill, ABSENT_PID,
		       0x100000000ULL | 9, 0, ERRNO(EPERM)),
	};

	check_policy(lines, SH_ENFORCE_CHILD, calls,
		     sizeof(calls) / sizeof(calls[0]));
}

static void test_cond_deny_over_allow(void **state)
{
	const char lines[] =
		"seccomp = allowlist\n"
		"seccomp_allow = write, exit_group, rt_sigreturn, close, "
		"unshare, socket, ioctl\n"
		"seccomp_deny = unshare(arg0 & CLONE_NEWUSER == CLONE_NEWUSER), "
		"socket(arg0 == AF_NETLINK):EACCES, ioctl(arg1 == TIOCSTI)\n";
	const uint64_t fd = (uint64_t)devnull_fd;
	const uint64_t byte = (uint64_t)(uintptr_t)&tiocsti_byte;
	const struct call calls[] = {
		native("unshare user namespace", SYS_unshare,
		       CLONE_NEWUSER_FLAG, 0, 0, ERRNO(EPERM)),
		native("unshare nothing", SYS_unshare, 0, 0, 0,
		       SECCOMP_RET_ALLOW),
		native("socket netlink", SYS_socket, AF_NETLINK,
		       SOCK_RAW | SOCK_CLOEXEC, 0, ERRNO(EACCES)),
		native("socket unix", SYS_socket, AF_UNIX,
		       SOCK_STREAM | SOCK_CLOEXEC, 0, SECCOMP_RET_ALLOW),
		native("ioctl TIOCSTI", SYS_ioctl, fd, TIOCSTI, byte,
		       ERRNO(EPERM)),
		native("ioctl TIOCSTI with high bits", SYS_ioctl, fd,
		       0x100000000ULL | TIOCSTI, byte, ERRNO(EPERM)),
	};

	check_policy(lines, SH_ENFORCE_OPEN, calls,
		     sizeof(calls) / sizeof(calls[0]));
}

static void test_secondary_arch_i386(void **state)
{
	const char lines[] =
		"seccomp = denylist\n"
		"seccomp_arch = x86\n"
		"seccomp_deny = personality\n";
	const struct call calls[] = {
		other_abi("i386 getppid", ABI_I386, I386_GETPPID, 0,
			  SECCOMP_RET_ALLOW),
		other_abi("i386 personality query", ABI_I386,
			  I386_PERSONALITY, 0xffffffff, ERRNO(EPERM)),
		native("personality query", SYS_personality, 0xffffffff, 0,
		       0, ERRNO(EPERM)),
		other_abi("x32 getppid", ABI_X32, X32_GETPPID, 0,
			  ERRNO(EPERM)),
	};

	check_policy(lines, SH_ENFORCE_OPEN, calls,
		     sizeof(calls) / sizeof(calls[0]));
}

static void test_secondary_arch_x32(void **state)
{
	const char lines[] =
		"seccomp = denylist\n"
		"seccomp_arch = x32\n"
		"seccomp_deny = personality\n";
	const struct call calls[] = {
		other_abi("x32 getppid", ABI_X32, X32_GETPPID, 0,
			  SECCOMP_RET_ALLOW),
		other_abi("x32 personality", ABI_X32, X32_PERSONALITY, 0,
			  ERRNO(EPERM)),
		other_abi("i386 getppid", ABI_I386, I386_GETPPID, 0,
			  ERRNO(EPERM)),
	};

	check_policy(lines, SH_ENFORCE_OPEN, calls,
		     sizeof(calls) / sizeof(calls[0]));
}

static void test_unconfined_plan_allows(void **state)
{
	struct sh_plan plan;
	const struct call call = native("getppid", SYS_getppid, 0, 0, 0,
					SECCOMP_RET_ALLOW);

	memset(&plan, 0, sizeof(plan));
	plan.unconfined = true;
	assert_int_equal(simulate(&plan, &call), SECCOMP_RET_ALLOW);
}

/* ------------------------------------------------------------------------ */
/* Hand-written programs */

#define STMT(code, k) { (uint16_t)(code), 0, 0, (uint32_t)(k) }
#define JUMP(code, k, jt, jf) { (uint16_t)(code), jt, jf, (uint32_t)(k) }
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static int run_program(const struct sock_filter *insns, size_t len,
		       const struct seccomp_data *data, uint32_t *ret)
{
	struct sh_bpf filter = {
		.len = (unsigned short)len,
		.insns = (void *)(uintptr_t)insns,
	};

	return sh_bpf_run(&filter, data, ret);
}

static void test_program_alu_and_memory(void **state)
{
	/* ((nr + 3) * 4 - 2) | 1, through X and scratch memory, as the data */
	const struct sock_filter program[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		STMT(BPF_ALU | BPF_ADD | BPF_K, 3),
		STMT(BPF_LDX | BPF_IMM, 4),
		STMT(BPF_ALU | BPF_MUL | BPF_X, 0),
		STMT(BPF_ALU | BPF_SUB | BPF_K, 2),
		STMT(BPF_ST, 5),
		STMT(BPF_LD | BPF_IMM, 0),
		STMT(BPF_LDX | BPF_MEM, 5),
		STMT(BPF_MISC | BPF_TXA, 0),
		STMT(BPF_ALU | BPF_OR | BPF_K, 1),
		STMT(BPF_ALU | BPF_AND | BPF_K, SECCOMP_RET_DATA),
		STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
		STMT(BPF_RET | BPF_A, 0),
	};
	struct seccomp_data data = { .nr = 10 };
	uint32_t action = 0;

	assert_int_equal(run_program(program, COUNT(program), &data, &action),
			 0);
	assert_int_equal(action, SECCOMP_RET_ERRNO | 51);
}

static void test_program_shifts_and_jumps(void **state)
{
	/* allow when the high word of arg1 has bit 0 set after a shift */
	const struct sock_filter program[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS,
		     offsetof(struct seccomp_data, args[1]) + 4),
		STMT(BPF_ALU | BPF_LSH | BPF_K, 4),
		STMT(BPF_ALU | BPF_RSH | BPF_K, 4),
		STMT(BPF_MISC | BPF_TAX, 0),
		STMT(BPF_LD | BPF_IMM, 1),
		JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 2, 0),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 1, 0, 2),
		STMT(BPF_JMP | BPF_JA, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct seccomp_data data = { .nr = 0 };
	uint32_t action = 0;

	data.args[1] = 0xf000000100000000ULL;
	assert_int_equal(run_program(program, COUNT(program), &data, &action),
			 0);
	assert_int_equal(action, SECCOMP_RET_ALLOW);

	data.args[1] = 0x1000000200000000ULL;
	assert_int_equal(run_program(program, COUNT(program), &data, &action),
			 0);
	assert_int_equal(action, SECCOMP_RET_KILL_PROCESS);
}

static void test_program_division_by_zero_x(void **state)
{
	const struct sock_filter program[] = {
		STMT(BPF_LD | BPF_IMM, 7),
		STMT(BPF_LDX | BPF_IMM, 0),
		STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct seccomp_data data = { .nr = 0 };
	uint32_t action = SECCOMP_RET_ALLOW;

	/* classic BPF ends the program with 0, which is KILL_THREAD */
	assert_int_equal(run_program(program, COUNT(program), &data, &action),
			 0);
	assert_int_equal(action, 0);
}

static void assert_program_invalid(const struct sock_filter *insns,
				   size_t len, int expected_error)
{
	struct seccomp_data data = { .nr = 1 };
	uint32_t action = 0x12345678;

	assert_int_equal(run_program(insns, len, &data, &action),
			 expected_error);
	assert_int_equal(action, 0x12345678);
}

static void test_program_bad_jump(void **state)
{
	const struct sock_filter jump_true[] = {
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter jump_false[] = {
		JUMP(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 5),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter jump_always[] = {
		STMT(BPF_JMP | BPF_JA, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	assert_program_invalid(jump_true, COUNT(jump_true), -EINVAL);
	assert_program_invalid(jump_false, COUNT(jump_false), -EINVAL);
	assert_program_invalid(jump_always, COUNT(jump_always), -EINVAL);
}

static void test_program_bad_load(void **state)
{
	const struct sock_filter past_end[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, sizeof(struct seccomp_data)),
		STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter unaligned[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, 2),
		STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter half_word[] = {
		STMT(BPF_LD | BPF_H | BPF_ABS, 0),
		STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter memory_slot[] = {
		STMT(BPF_ST, BPF_MEMWORDS),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const struct sock_filter unwritten_memory[] = {
		STMT(BPF_LD | BPF_MEM, 3),
		STMT(BPF_RET | BPF_A, 0),
	};

	assert_program_invalid(past_end, COUNT(past_end), -EINVAL);
	assert_program_invalid(unaligned, COUNT(unaligned), -EINVAL);
	assert_program_invalid(half_word, COUNT(half_word), -EINVAL);
	assert_program_invalid(memory_slot, COUNT(memory_slot), -EINVAL);
	assert_program_invalid(unwritten_memory, COUNT(unwritten_memory),
			       -EINVAL);
}

static void test_program_no_return(void **state)
{
	const struct sock_filter no_return[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
	};
	const struct sock_filter ends_in_jump[] = {
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0),
	};

	assert_program_invalid(no_return, COUNT(no_return), -EINVAL);
	assert_program_invalid(ends_in_jump, COUNT(ends_in_jump), -EINVAL);
	assert_program_invalid(no_return, 0, -EINVAL);
}

static void test_program_invalid_opcodes(void **state)
{
	const struct sock_filter return_x[] = {
		STMT(BPF_RET | BPF_X, 0),
	};
	const struct sock_filter modulo[] = {
		STMT(BPF_ALU | BPF_MOD | BPF_K, 3),
		STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter divide_by_zero[] = {
		STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
		STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter wide_shift[] = {
		STMT(BPF_ALU | BPF_LSH | BPF_K, 32),
		STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter indirect_load[] = {
		STMT(BPF_LD | BPF_W | BPF_IND, 0),
		STMT(BPF_RET | BPF_A, 0),
	};

	assert_program_invalid(return_x, COUNT(return_x), -EINVAL);
	assert_program_invalid(modulo, COUNT(modulo), -EINVAL);
	assert_program_invalid(divide_by_zero, COUNT(divide_by_zero),
			       -EINVAL);
	assert_program_invalid(wide_shift, COUNT(wide_shift), -EINVAL);
	assert_program_invalid(indirect_load, COUNT(indirect_load), -EINVAL);
}

static void test_program_too_long(void **state)
{
	struct sock_filter *program = calloc(4097, sizeof(*program));
	size_t i;

	assert_non_null(program);
	for (i = 0; i < 4097; i++)
		program[i] = (struct sock_filter)STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ALLOW);
	assert_program_invalid(program, 4097, -E2BIG);
	free(program);
}

/* ------------------------------------------------------------------------ */
/* Combining filters */

static void set_return(struct sock_filter *insn, uint32_t action)
{
	*insn = (struct sock_filter)STMT(BPF_RET | BPF_K, action);
}

static uint32_t combine(const uint32_t *actions, unsigned int count)
{
	struct sock_filter programs[PLAN_FILTERS_MAX];
	struct seccomp_data data = { .nr = 0 };
	struct sh_plan plan;
	uint32_t action = 0;
	unsigned int i;

	assert_true(count <= PLAN_FILTERS_MAX);
	memset(&plan, 0, sizeof(plan));
	for (i = 0; i < count; i++) {
		set_return(&programs[i], actions[i]);
		plan.filters[i].len = 1;
		plan.filters[i].insns = &programs[i];
	}
	plan.nfilters = count;

	assert_int_equal(sh_plan_verdict(&plan, &data, &action), 0);
	return action;
}

static void test_combine_strictest_wins(void **state)
{
	const uint32_t kill_last[] = { SECCOMP_RET_ERRNO | EPERM,
				       SECCOMP_RET_KILL_PROCESS };
	const uint32_t kill_first[] = { SECCOMP_RET_KILL_PROCESS,
					SECCOMP_RET_TRAP };
	const uint32_t thread_and_trap[] = { SECCOMP_RET_TRAP,
					     SECCOMP_RET_KILL_THREAD };
	const uint32_t errno_and_log[] = { SECCOMP_RET_LOG,
					   SECCOMP_RET_ERRNO | EACCES };
	const uint32_t log_and_allow[] = { SECCOMP_RET_ALLOW,
					   SECCOMP_RET_LOG };
	const uint32_t trace_and_notify[] = { SECCOMP_RET_TRACE,
					      SECCOMP_RET_USER_NOTIF };

	assert_int_equal(combine(kill_last, 2), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(combine(kill_first, 2), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(combine(thread_and_trap, 2), SECCOMP_RET_KILL_THREAD);
	assert_int_equal(combine(errno_and_log, 2),
			 SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(combine(log_and_allow, 2), SECCOMP_RET_LOG);
	assert_int_equal(combine(trace_and_notify, 2),
			 SECCOMP_RET_USER_NOTIF);
}

static void test_combine_last_loaded_wins_tie(void **state)
{
	const uint32_t two_errnos[] = { SECCOMP_RET_ERRNO | EPERM,
					SECCOMP_RET_ERRNO | ENOSYS };
	const uint32_t two_traps[] = { SECCOMP_RET_TRAP | 1,
				       SECCOMP_RET_TRAP | 2 };

	assert_int_equal(combine(two_errnos, 2), SECCOMP_RET_ERRNO | ENOSYS);
	assert_int_equal(combine(two_traps, 2), SECCOMP_RET_TRAP | 2);
}

static void test_combine_every_filter(void **state)
{
	const uint32_t actions[PLAN_FILTERS_MAX] = { SECCOMP_RET_KILL_PROCESS };
	struct sh_plan plan;
	struct seccomp_data data = { .nr = 0 };
	uint32_t action;

	/* a verdict from the first filter loaded must not be skipped */
	assert_int_equal(combine(actions, PLAN_FILTERS_MAX),
			 SECCOMP_RET_KILL_PROCESS);

	memset(&plan, 0, sizeof(plan));
	plan.nfilters = PLAN_FILTERS_MAX + 1;
	assert_int_equal(sh_plan_verdict(&plan, &data, &action), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowlist_open),
		cmocka_unit_test(test_allowlist_child),
		cmocka_unit_test(test_denylist_actions),
		cmocka_unit_test(test_denylist_kill),
		cmocka_unit_test(test_argument_rules),
		cmocka_unit_test(test_cond_deny_over_allow),
		cmocka_unit_test(test_secondary_arch_i386),
		cmocka_unit_test(test_secondary_arch_x32),
		cmocka_unit_test(test_unconfined_plan_allows),
		cmocka_unit_test(test_program_alu_and_memory),
		cmocka_unit_test(test_program_shifts_and_jumps),
		cmocka_unit_test(test_program_division_by_zero_x),
		cmocka_unit_test(test_program_bad_jump),
		cmocka_unit_test(test_program_bad_load),
		cmocka_unit_test(test_program_no_return),
		cmocka_unit_test(test_program_invalid_opcodes),
		cmocka_unit_test(test_program_too_long),
		cmocka_unit_test(test_combine_strictest_wins),
		cmocka_unit_test(test_combine_last_loaded_wins_tie),
		cmocka_unit_test(test_combine_every_filter),
	};

	return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
