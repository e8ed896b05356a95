// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * probe: report the confinement of the calling process and try operations
 * that a confinement profile allows or denies.
 *
 *   probe status [--pid PID]   CapBnd, CapAmb, CapInh, NoNewPrivs, Seccomp
 *                              and Seccomp_filters from /proc/PID/status
 *   probe try OP...            one "OP ok", "OP ERRNONAME" or
 *                              "OP killed(SIGNAME)" line per operation
 *   probe list                 the operation names, one per line
 *
 * Each operation runs in a forked child, so that a kill action of a seccomp
 * filter ends only that child and the parent reports the signal.  The
 * arguments are chosen so that no operation changes the machine: where the
 * kernel would act on valid arguments, the probe passes invalid ones, and
 * the errno then distinguishes "the filter let the call through" (EINVAL, EFAULT...)
 * apart from "the filter denied it" (the profile's errno).  The probe prints
 * the raw errno; the test tables hold what each profile should give.
 *
 * "sys:NAME" runs the syscall NAME (as libseccomp spells it) with all six
 * arguments zero, for syscalls the table does not cover.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <seccomp.h>

#define PROBE_PATH_MAX 64
#define PROBE_LINE_MAX 512

/* TIOCSTI with bits above the 32 that the kernel reads from the request. */
#define PROBE_TIOCSTI_HIGH (0x100000000UL | TIOCSTI)
/* getpid through the x32 entry point: the x32 bit plus the x86_64 number. */
#define PROBE_X32_GETPID (0x40000000L | 39L)
/* getpid in the i386 table, for the int 0x80 entry point. */
#define PROBE_I386_GETPID 20L

/* An operation returns 0 when the call succeeded, else the errno it got. */
struct probe_op {
	const char *name;
	int (*run)(void);
};

static int errno_or_ok(long ret)
{
	return ret < 0 ? errno : 0;
}

/*
 * Pick a terminal for the ioctl operations: stdin when it is one, else the
 * controlling terminal.  Falls back to stdin so that the errno (ENOTTY)
 * shows that no terminal was reachable.
 */
static int open_terminal(bool *opened)
{
	int fd;

	*opened = false;
	if (isatty(STDIN_FILENO))
		return STDIN_FILENO;

	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		*opened = true;
		return fd;
	}
	return STDIN_FILENO;
}

/*
 * Send an ioctl to the terminal with a NULL argument: TIOCSTI and TIOCLINUX
 * then fail with EFAULT after every permission check has passed, so nothing
 * is ever injected into the terminal.
 */
static int terminal_ioctl(unsigned long request)
{
	bool opened;
	int fd = open_terminal(&opened);
	long ret = syscall(SYS_ioctl, fd, request, NULL);
	int result = errno_or_ok(ret);

	if (opened)
		close(fd);
	return result;
}

static int op_tiocsti(void)
{
	return terminal_ioctl(TIOCSTI);
}

static int op_tiocsti_high(void)
{
	return terminal_ioctl(PROBE_TIOCSTI_HIGH);
}

static int op_tioclinux(void)
{
	return terminal_ioctl(TIOCLINUX);
}

static int op_ptrace(void)
{
	return errno_or_ok(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
}

static int op_unshare_user(void)
{
	return errno_or_ok(unshare(CLONE_NEWUSER));
}

static int op_unshare_mount(void)
{
	return errno_or_ok(unshare(CLONE_NEWNS));
}

/*
 * Mount a small tmpfs on a fresh folder and detach it at once.  Only a
 * process that has CAP_SYS_ADMIN and passes the filter gets that far.
 */
static int op_mount(void)
{
	char dir[PROBE_PATH_MAX] = "/tmp/sechard-probe-XXXXXX";
	int result;

	if (!mkdtemp(dir))
		return errno;

	result = errno_or_ok(mount("sechard-probe", dir, "tmpfs",
				   MS_NOSUID | MS_NODEV | MS_NOEXEC,
				   "size=64k"));
	if (result == 0)
		umount2(dir, MNT_DETACH);
	rmdir(dir);
	return result;
}

/* Zero entries: EINVAL when the call is allowed. */
static int op_io_uring_setup(void)
{
	return errno_or_ok(syscall(SYS_io_uring_setup, 0, NULL));
}

/* Command -1 does not exist: EINVAL when the call is allowed. */
static int op_bpf(void)
{
	return errno_or_ok(syscall(SYS_bpf, -1, NULL, 0));
}

/* A NULL attribute: EFAULT when the call is allowed. */
static int op_perf_event_open(void)
{
	return errno_or_ok(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
}

/* KEYCTL_GET_KEYRING_ID of the session keyring, without creating it. */
static int op_keyctl(void)
{
	return errno_or_ok(syscall(SYS_keyctl, 0, -3, 0));
}

/*
 * Too many segments and an undefined flag: EINVAL once the capability
 * check has passed, so no kernel image is ever loaded or unloaded.
 */
static int op_kexec_load(void)
{
	return errno_or_ok(syscall(SYS_kexec_load, 0UL, 1000UL, NULL,
				   0x8000UL));
}

/* An empty image: the kernel rejects it after the capability check. */
static int op_init_module(void)
{
	return errno_or_ok(syscall(SYS_init_module, NULL, 0UL, ""));
}

/* Invalid magic numbers: EINVAL once CAP_SYS_BOOT is checked. */
static int op_reboot(void)
{
	return errno_or_ok(syscall(SYS_reboot, 0, 0, 0, NULL));
}

static int op_swapon(void)
{
	return errno_or_ok(syscall(SYS_swapon, "/nonexistent/sechard-probe",
				   0));
}

/* Both arguments NULL: checks CAP_SYS_TIME and changes nothing. */
static int op_settimeofday(void)
{
	return errno_or_ok(syscall(SYS_settimeofday, NULL, NULL));
}

/* 0xffffffff only reads the current persona. */
static int op_personality(void)
{
	return errno_or_ok(syscall(SYS_personality, 0xffffffffUL));
}

/* Set a flag that weakens memory protection, in this child only. */
static int op_personality_flag(void)
{
	return errno_or_ok(syscall(SYS_personality,
				   (unsigned long)READ_IMPLIES_EXEC));
}

/* A zero size: EINVAL when the call is allowed. */
static int op_clone3(void)
{
	return errno_or_ok(syscall(SYS_clone3, NULL, 0));
}

/* Raw clone() with CLONE_NEWUSER.  A new child exits at once. */
static int op_clone_newuser(void)
{
	long pid = syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD),
			   NULL, NULL, NULL, NULL);

	if (pid == 0)
		syscall(SYS_exit_group, 0);
	if (pid < 0)
		return errno;

	waitpid((pid_t)pid, NULL, 0);
	return 0;
}

static int try_socket(int domain, int type, int protocol)
{
	int fd = socket(domain, type | SOCK_CLOEXEC, protocol);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int op_socket_inet(void)
{
	return try_socket(AF_INET, SOCK_STREAM, 0);
}

static int op_socket_unix(void)
{
	return try_socket(AF_UNIX, SOCK_STREAM, 0);
}

static int op_socket_netlink(void)
{
	return try_socket(AF_NETLINK, SOCK_RAW, 0);
}

static int op_socket_packet(void)
{
	return try_socket(AF_PACKET, SOCK_RAW, 0);
}

static int op_x32(void)
{
	return errno_or_ok(syscall(PROBE_X32_GETPID));
}

/*
 * getpid through the 32-bit int 0x80 entry point.  A kernel without ia32
 * emulation raises SIGSEGV, which the parent reports as killed(SIGSEGV).
 */
static int op_int80(void)
{
	long ret = PROBE_I386_GETPID;

	__asm__ volatile("int $0x80"
			 : "+a"(ret)
			 :
			 : "rcx", "r8", "r9", "r10", "r11", "memory", "cc");
	return ret < 0 && ret > -4096 ? (int)-ret : 0;
}

static int close_fd_result(long fd)
{
	if (fd < 0)
		return errno;
	close((int)fd);
	return 0;
}

static int op_fsopen(void)
{
	return close_fd_result(syscall(SYS_fsopen, "tmpfs", 0));
}

/* Without OPEN_TREE_CLONE this only returns an O_PATH descriptor. */
static int op_open_tree(void)
{
	return close_fd_result(syscall(SYS_open_tree, AT_FDCWD, "/", 0));
}

/* Invalid descriptors: EBADF or ENOENT when the call is allowed. */
static int op_move_mount(void)
{
	return errno_or_ok(syscall(SYS_move_mount, -1, "", -1, "", 0));
}

static int op_chown_self(void)
{
	char path[PROBE_PATH_MAX] = "/tmp/sechard-probe-XXXXXX";
	int fd = mkstemp(path);
	int result;

	if (fd < 0)
		return errno;

	result = errno_or_ok(fchown(fd, getuid(), getgid()));
	close(fd);
	unlink(path);
	return result;
}

static int op_setuid_root(void)
{
	return errno_or_ok(syscall(SYS_setuid, 0));
}

/* Add CAP_SYS_ADMIN to the permitted and effective sets. */
static int op_capset_raise(void)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	unsigned int word = CAP_SYS_ADMIN / 32;
	__u32 bit = 1U << (CAP_SYS_ADMIN % 32);

	if (syscall(SYS_capget, &header, data) < 0)
		return errno;

	data[word].permitted |= bit;
	data[word].effective |= bit;
	return errno_or_ok(syscall(SYS_capset, &header, data));
}

static int op_read(void)
{
	char byte;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int result;

	if (fd < 0)
		return errno;
	result = errno_or_ok(read(fd, &byte, 0));
	close(fd);
	return result;
}

static int op_write(void)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int result;

	if (fd < 0)
		return errno;
	result = errno_or_ok(write(fd, "x", 1));
	close(fd);
	return result;
}

static int op_getpid(void)
{
	return errno_or_ok(syscall(SYS_getpid));
}

static int op_statx(void)
{
	struct statx buf;

	return errno_or_ok(syscall(SYS_statx, AT_FDCWD, "/", 0,
				   STATX_BASIC_STATS, &buf));
}

static int op_faccessat2(void)
{
	return errno_or_ok(syscall(SYS_faccessat2, AT_FDCWD, "/", F_OK, 0));
}

static int op_close_range(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int result;

	if (fd < 0)
		return errno;
	result = errno_or_ok(syscall(SYS_close_range, fd, fd, 0));
	if (result != 0)
		close(fd);
	return result;
}

static int op_openat2(void)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };

	return close_fd_result(syscall(SYS_openat2, AT_FDCWD, "/dev/null",
				       &how, sizeof(how)));
}

/*
 * A NULL area: EINVAL when the call is allowed (glibc has already
 * registered its own area, or the length does not match).
 */
static int op_rseq(void)
{
	return errno_or_ok(syscall(SYS_rseq, NULL, 0, 0, 0));
}

static void *thread_main(void *arg)
{
	return arg;
}

static int op_pthread(void)
{
	pthread_t thread;
	int result = pthread_create(&thread, NULL, thread_main, NULL);

	if (result != 0)
		return result;
	pthread_join(thread, NULL);
	return 0;
}

/* A failed exec reports its errno as the exit status of the child. */
static int op_exec_true(void)
{
	char name[] = "true";
	char *const argv[] = { name, NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0) {
		execv("/bin/true", argv);
		_exit(errno);
	}

	if (waitpid(pid, &status, 0) < 0)
		return errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return EINTR;
}

/* TIOCLINUX with bits above the 32 that the kernel reads from the request. */
#define PROBE_TIOCLINUX_HIGH (0x100000000UL | TIOCLINUX)
/* Bits above 31 of clone's flags, which the kernel drops. */
#define PROBE_CLONE_HIGH_BITS 0x100000000UL

static int op_tioclinux_high(void)
{
	return terminal_ioctl(PROBE_TIOCLINUX_HIGH);
}

/*
 * Raw clone() with CLONE_NEWUSER and a bit above 31 set: the kernel reads
 * only the low 32 bits of the flags, so a filter that compares all 64
 * would miss this call.
 */
static int op_clone_newuser_high(void)
{
	unsigned long flags = PROBE_CLONE_HIGH_BITS | CLONE_NEWUSER | SIGCHLD;
	long pid = syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);

	if (pid == 0)
		syscall(SYS_exit_group, 0);
	if (pid < 0)
		return errno;

	waitpid((pid_t)pid, NULL, 0);
	return 0;
}

/* The second flag that weakens memory protection, in this child only. */
static int op_personality_no_randomize(void)
{
	return errno_or_ok(syscall(SYS_personality,
				   (unsigned long)ADDR_NO_RANDOMIZE));
}

/*
 * Clone the mount tree at "/" into a detached mount, which only a holder
 * of CAP_SYS_ADMIN gets.  The clone is closed at once, which frees it.
 */
static int op_open_tree_clone(void)
{
	return close_fd_result(syscall(SYS_open_tree, AT_FDCWD, "/",
				       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
}

/* An invalid filesystem descriptor: EBADF or EPERM when allowed. */
static int op_fsmount(void)
{
	return close_fd_result(syscall(SYS_fsmount, -1, FSMOUNT_CLOEXEC, 0));
}

/*
 * Ask for a read-only mount on an invalid descriptor, so that even root
 * changes nothing: EBADF or EPERM when the call is allowed.
 */
static int op_mount_setattr(void)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

	return errno_or_ok(syscall(SYS_mount_setattr, -1, "", AT_EMPTY_PATH,
				   &attr, sizeof(attr)));
}

/*
 * Join the caller's own user namespace again: the kernel answers EINVAL
 * when the call gets through, so nothing changes.  Joining a namespace that
 * another process of the user created would hand back every capability.
 */
static int op_setns_user(void)
{
	int fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	int result;

	if (fd < 0)
		return errno;
	result = errno_or_ok(syscall(SYS_setns, fd, CLONE_NEWUSER));
	close(fd);
	return result;
}

/*
 * READ_IMPLIES_EXEC with bit 31 set as well, which the kernel keeps in the
 * persona: a rule that masks bit 31 to let the query 0xffffffff through
 * must not let this value through too.
 */
static int op_personality_bit31(void)
{
	return errno_or_ok(syscall(SYS_personality,
				   0x80000000UL | READ_IMPLIES_EXEC));
}

static const struct probe_op probe_ops[] = {
	{ "ptrace", op_ptrace },
	{ "unshare-user", op_unshare_user },
	{ "unshare-mount", op_unshare_mount },
	{ "mount", op_mount },
	{ "tiocsti", op_tiocsti },
	{ "tiocsti-high", op_tiocsti_high },
	{ "tioclinux", op_tioclinux },
	{ "io-uring-setup", op_io_uring_setup },
	{ "bpf", op_bpf },
	{ "perf-event-open", op_perf_event_open },
	{ "keyctl", op_keyctl },
	{ "kexec-load", op_kexec_load },
	{ "init-module", op_init_module },
	{ "reboot", op_reboot },
	{ "swapon", op_swapon },
	{ "settimeofday", op_settimeofday },
	{ "personality", op_personality },
	{ "personality-flag", op_personality_flag },
	{ "clone3", op_clone3 },
	{ "clone-newuser", op_clone_newuser },
	{ "socket-inet", op_socket_inet },
	{ "socket-unix", op_socket_unix },
	{ "socket-netlink", op_socket_netlink },
	{ "socket-packet", op_socket_packet },
	{ "x32", op_x32 },
	{ "int80", op_int80 },
	{ "fsopen", op_fsopen },
	{ "open-tree", op_open_tree },
	{ "move-mount", op_move_mount },
	{ "chown-self", op_chown_self },
	{ "setuid-root", op_setuid_root },
	{ "capset-raise", op_capset_raise },
	{ "read", op_read },
	{ "write", op_write },
	{ "getpid", op_getpid },
	{ "statx", op_statx },
	{ "faccessat2", op_faccessat2 },
	{ "close-range", op_close_range },
	{ "openat2", op_openat2 },
	{ "rseq", op_rseq },
	{ "pthread", op_pthread },
	{ "exec-true", op_exec_true },
	{ "tioclinux-high", op_tioclinux_high },
	{ "clone-newuser-high", op_clone_newuser_high },
	{ "personality-no-randomize", op_personality_no_randomize },
	{ "open-tree-clone", op_open_tree_clone },
	{ "fsmount", op_fsmount },
	{ "mount-setattr", op_mount_setattr },
	{ "setns-user", op_setns_user },
	{ "personality-bit31", op_personality_bit31 },
};

#define PROBE_NOPS (sizeof(probe_ops) / sizeof(probe_ops[0]))

static const struct probe_op *find_op(const char *name)
{
	size_t i;

	for (i = 0; i < PROBE_NOPS; i++) {
		if (strcmp(probe_ops[i].name, name) == 0)
			return &probe_ops[i];
	}
	return NULL;
}

/* Run the native syscall NAME with every argument zero. */
static int run_named_syscall(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr < 0)
		return ENOENT;
	return errno_or_ok(syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L));
}

static void print_verdict(const char *name, int status)
{
	if (WIFSIGNALED(status)) {
		printf("%s killed(SIG%s)\n", name,
		       sigabbrev_np(WTERMSIG(status)) ?: "?");
		return;
	}

	if (WEXITSTATUS(status) == 0) {
		printf("%s ok\n", name);
		return;
	}
	printf("%s %s\n", name, strerrorname_np(WEXITSTATUS(status)) ?: "?");
}

/*
 * Run one operation in a child.  The child exits with the errno the
 * operation got (0 for success); errno values fit in an exit status.
 */
static int try_one(const char *name)
{
	const struct probe_op *op = find_op(name);
	bool named_syscall = strncmp(name, "sys:", 4) == 0;
	int status;
	pid_t pid;

	if (!op && !named_syscall) {
		fprintf(stderr, "probe: unknown operation '%s'; "
			"'probe list' shows the names\n", name);
		return -1;
	}

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "probe: fork failed: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int result = op ? op->run() : run_named_syscall(name + 4);

		_exit(result & 0xff);
	}

	if (waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "probe: waitpid failed: %s\n",
			strerror(errno));
		return -1;
	}
	print_verdict(name, status);
	return 0;
}

static int cmd_try(int argc, char **argv)
{
	int failed = 0;
	int i;

	for (i = 0; i < argc; i++) {
		if (try_one(argv[i]) < 0)
			failed = 1;
	}
	return failed;
}

static bool is_reported_status_key(const char *line)
{
	static const char *const keys[] = {
		"Name:", "CapInh:", "CapBnd:", "CapAmb:", "NoNewPrivs:",
		"Seccomp:", "Seccomp_filters:",
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strncmp(line, keys[i], strlen(keys[i])) == 0)
			return true;
	}
	return false;
}

/* Print the confinement lines of /proc/PID/status as "Key: value". */
static int cmd_status(const char *pid)
{
	char path[PROBE_PATH_MAX];
	char line[PROBE_LINE_MAX];
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	file = fopen(path, "re");
	if (!file) {
		fprintf(stderr, "probe: cannot open %s: %s\n", path,
			strerror(errno));
		return 1;
	}

	while (fgets(line, sizeof(line), file)) {
		char *colon;
		char *value;

		if (!is_reported_status_key(line))
			continue;
		colon = strchr(line, ':');
		value = colon + 1 + strspn(colon + 1, " \t");
		printf("%.*s %s", (int)(colon - line + 1), line, value);
	}
	fclose(file);
	return 0;
}

/* Accept only a decimal process id, so the path stays under /proc. */
static bool is_pid(const char *text)
{
	size_t length = strlen(text);

	return length > 0 && length < 12 &&
	       strspn(text, "0123456789") == length;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: probe status [--pid PID]\n"
		"       probe try OPERATION...\n"
		"       probe list\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc >= 2 && strcmp(argv[1], "status") == 0) {
		if (argc == 2)
			return cmd_status("self");
		if (argc == 4 && strcmp(argv[2], "--pid") == 0 &&
		    is_pid(argv[3]))
			return cmd_status(argv[3]);
	} else if (argc >= 3 && strcmp(argv[1], "try") == 0) {
		return cmd_try(argc - 2, argv + 2);
	} else if (argc == 2 && strcmp(argv[1], "list") == 0) {
		for (i = 0; i < PROBE_NOPS; i++)
			printf("%s\n", probe_ops[i].name);
		return 0;
	}

	usage();
	return 2;
}
