// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Named syscall groups for seccomp_allow and seccomp_deny lists, and the
 * table of syscall arguments that are 64 bits wide.  docs/syscall-groups.md
 * gives the reason for every member; keep the two in step.
 */
#include <string.h>

#include "sechard.h"
#include "groups.h"

#define SH_GROUP(name, id, desc) \
	{ name, desc, sh_members_##id }

static const char *const sh_members_basic_io[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64",
	"preadv", "preadv2", "pwritev", "pwritev2",
	"close", "close_range", "dup", "dup2", "dup3",
	"lseek", "_llseek", "pipe", "pipe2",
	"poll", "ppoll", "ppoll_time64", "select", "_newselect",
	"pselect6", "pselect6_time64",
	"epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait",
	"epoll_pwait", "epoll_pwait2",
	"eventfd", "eventfd2", "sendfile", "sendfile64", "splice", "tee",
	"vmsplice", "copy_file_range", "fcntl", "fcntl64",
	NULL
};

static const char *const sh_members_file_system[] = {
	"access", "faccessat", "faccessat2", "chdir", "fchdir", "getcwd",
	"chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "fchownat",
	"lchown", "chown32", "fchown32", "lchown32", "umask",
	"creat", "open", "openat", "openat2",
	"getdents", "getdents64", "link", "linkat", "symlink", "symlinkat",
	"readlink", "readlinkat", "mkdir", "mkdirat", "mknod", "mknodat",
	"rename", "renameat", "renameat2", "rmdir", "unlink", "unlinkat",
	"stat", "stat64", "lstat", "lstat64", "fstat", "fstat64",
	"newfstatat", "fstatat64", "statx", "statfs", "statfs64",
	"fstatfs", "fstatfs64",
	"truncate", "truncate64", "ftruncate", "ftruncate64",
	"fallocate", "fadvise64", "fadvise64_64",
	"utime", "utimes", "utimensat", "utimensat_time64", "futimesat",
	"fsync", "fdatasync", "sync", "syncfs", "sync_file_range", "flock",
	"getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr",
	"flistxattr", "setxattr", "lsetxattr", "fsetxattr", "removexattr",
	"lremovexattr", "fremovexattr",
	"inotify_init", "inotify_init1", "inotify_add_watch",
	"inotify_rm_watch",
	NULL
};

static const char *const sh_members_process[] = {
	"fork", "vfork", "clone", "execve", "execveat",
	"exit", "exit_group", "wait4", "waitid", "waitpid",
	"getpid", "getppid", "gettid", "getpgid", "getpgrp", "getsid",
	"setpgid", "setsid",
	"getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid",
	"getgroups", "getuid32", "geteuid32", "getgid32", "getegid32",
	"getresuid32", "getresgid32", "getgroups32",
	"getrlimit", "ugetrlimit", "setrlimit", "prlimit64", "getrusage",
	"times", "getpriority", "setpriority", "nice", "ioprio_get",
	"ioprio_set",
	"sched_yield", "sched_getaffinity", "sched_setaffinity",
	"sched_getparam", "sched_getscheduler", "sched_getattr",
	"sched_get_priority_max", "sched_get_priority_min",
	"sched_rr_get_interval", "sched_rr_get_interval_time64",
	/*
	 * prctl(PR_SET_SECCOMP) installs filters already.  seccomp(2) adds
	 * ways for a process to restrict itself and its children, and
	 * man-db and file sandbox themselves with it.
	 */
	"prctl", "seccomp", "arch_prctl", "set_tid_address", "set_robust_list",
	"get_robust_list", "rseq", "capget", "getcpu",
	"pidfd_open", "set_thread_area", "get_thread_area",
	NULL
};

static const char *const sh_members_signal[] = {
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend",
	"rt_sigpending", "rt_sigtimedwait", "rt_sigtimedwait_time64",
	"rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaltstack",
	"signalfd", "signalfd4", "kill", "tkill", "tgkill",
	"pidfd_send_signal", "pause", "sigaction", "sigprocmask",
	"sigreturn", "sigsuspend", "sigpending", "signal",
	NULL
};

static const char *const sh_members_time[] = {
	"clock_gettime", "clock_gettime64", "clock_getres",
	"clock_getres_time64", "clock_nanosleep", "clock_nanosleep_time64",
	"nanosleep", "gettimeofday", "time",
	"getitimer", "setitimer", "alarm",
	"timer_create", "timer_delete", "timer_settime", "timer_settime64",
	"timer_gettime", "timer_gettime64", "timer_getoverrun",
	"timerfd_create", "timerfd_settime", "timerfd_settime64",
	"timerfd_gettime", "timerfd_gettime64",
	NULL
};

static const char *const sh_members_memory[] = {
	"brk", "mmap", "mmap2", "munmap", "mprotect", "mremap", "madvise",
	"map_shadow_stack",
	"mlock", "mlock2", "munlock", "mlockall", "munlockall", "mincore",
	"msync", "membarrier", "memfd_create",
	"pkey_alloc", "pkey_free", "pkey_mprotect",
	"get_mempolicy", "set_mempolicy", "mbind",
	NULL
};

static const char *const sh_members_ipc[] = {
	"msgget", "msgsnd", "msgrcv", "msgctl",
	"semget", "semop", "semtimedop", "semtimedop_time64", "semctl",
	"shmget", "shmat", "shmdt", "shmctl", "ipc",
	"mq_open", "mq_unlink", "mq_timedsend", "mq_timedsend_time64",
	"mq_timedreceive", "mq_timedreceive_time64", "mq_notify",
	"mq_getsetattr",
	NULL
};

static const char *const sh_members_network[] = {
	"socket", "socketpair", "bind", "listen", "connect", "accept",
	"accept4", "getsockname", "getpeername", "sendto", "recvfrom",
	"send", "recv", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	"recvmmsg_time64", "setsockopt", "getsockopt", "shutdown",
	"socketcall",
	NULL
};

static const char *const sh_members_mount[] = {
	"mount", "umount", "umount2", "pivot_root", "chroot",
	"fsopen", "fsconfig", "fsmount", "fspick", "move_mount",
	"open_tree", "mount_setattr",
	NULL
};

static const char *const sh_members_module[] = {
	"init_module", "finit_module", "delete_module",
	"create_module", "query_module", "get_kernel_syms",
	NULL
};

static const char *const sh_members_reboot[] = {
	"reboot", "kexec_load", "kexec_file_load",
	NULL
};

static const char *const sh_members_swap[] = {
	"swapon", "swapoff",
	NULL
};

static const char *const sh_members_raw_io[] = {
	"iopl", "ioperm", "pciconfig_iobase", "pciconfig_read",
	"pciconfig_write", "s390_pci_mmio_read", "s390_pci_mmio_write",
	NULL
};

static const char *const sh_members_clock[] = {
	"settimeofday", "stime", "clock_settime", "clock_settime64",
	"adjtimex", "clock_adjtime", "clock_adjtime64",
	NULL
};

static const char *const sh_members_debug[] = {
	"ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
	"pidfd_getfd",
	NULL
};

static const char *const sh_members_keyring[] = {
	"add_key", "request_key", "keyctl",
	NULL
};

static const char *const sh_members_bpf[] = {
	"bpf",
	NULL
};

static const char *const sh_members_perf[] = {
	"perf_event_open",
	NULL
};

static const char *const sh_members_namespace[] = {
	"unshare", "setns",
	NULL
};

static const char *const sh_members_io_uring[] = {
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	NULL
};

static const char *const sh_members_obsolete[] = {
	"_sysctl", "afs_syscall", "break", "bdflush", "create_module",
	"epoll_ctl_old", "epoll_wait_old", "ftime", "get_kernel_syms",
	"getpmsg", "gtty", "idle", "lock", "lookup_dcookie", "mpx",
	"nfsservctl", "prof", "profil", "putpmsg", "query_module",
	"remap_file_pages", "security", "sgetmask", "ssetmask", "stty",
	"sysfs", "tuxcall", "ulimit", "uselib", "ustat", "vserver",
	NULL
};

static const char *const sh_members_cpu_emulation[] = {
	"modify_ldt", "vm86", "vm86old", "subpage_prot",
	NULL
};

static const char *const sh_members_privileged_identity[] = {
	"setuid", "setgid", "setreuid", "setregid", "setresuid",
	"setresgid", "setgroups", "setfsuid", "setfsgid",
	"setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32",
	"setresgid32", "setgroups32", "setfsuid32", "setfsgid32",
	NULL
};

/*
 * What an interactive shell and the programs it usually runs need.  Network,
 * SysV IPC and every privileged or kernel-attack-surface group are left out.
 */
static const char *const sh_members_default[] = {
	"@basic-io", "@file-system", "@process", "@signal", "@time",
	"@memory",
	"ioctl", "futex", "futex_time64", "futex_waitv", "futex_wake",
	"futex_wait", "futex_requeue", "getrandom",
	"uname", "sysinfo", "restart_syscall", "sched_getaffinity",
	NULL
};

static const struct sh_syscall_group sh_groups[] = {
	SH_GROUP("@default", default,
		 "what an interactive shell and common tools need"),
	SH_GROUP("@basic-io", basic_io,
		 "read, write and wait on open file descriptors"),
	SH_GROUP("@file-system", file_system,
		 "open, inspect and change files and folders"),
	SH_GROUP("@process", process,
		 "create, run, wait for and inspect processes"),
	SH_GROUP("@signal", signal,
		 "send, receive and handle signals"),
	SH_GROUP("@time", time,
		 "read clocks, sleep and use timers"),
	SH_GROUP("@memory", memory,
		 "map, protect and advise memory"),
	SH_GROUP("@ipc", ipc,
		 "System V and POSIX message queues, semaphores and "
		 "shared memory"),
	SH_GROUP("@network", network,
		 "sockets of every family"),
	SH_GROUP("@mount", mount,
		 "mount, unmount and change the root, old and new "
		 "mount API"),
	SH_GROUP("@module", module,
		 "load and unload kernel modules"),
	SH_GROUP("@reboot", reboot,
		 "reboot or load a new kernel"),
	SH_GROUP("@swap", swap,
		 "enable and disable swap"),
	SH_GROUP("@raw-io", raw_io,
		 "raw I/O port and PCI configuration access"),
	SH_GROUP("@clock", clock,
		 "set the system clock"),
	SH_GROUP("@debug", debug,
		 "trace or read the memory of other processes"),
	SH_GROUP("@keyring", keyring,
		 "kernel keyring"),
	SH_GROUP("@bpf", bpf,
		 "load eBPF programs and maps"),
	SH_GROUP("@perf", perf,
		 "performance counters and tracing"),
	SH_GROUP("@namespace", namespace,
		 "enter or create namespaces"),
	SH_GROUP("@io-uring", io_uring,
		 "io_uring, which bypasses per-syscall filtering"),
	SH_GROUP("@obsolete", obsolete,
		 "removed or never-implemented syscalls"),
	SH_GROUP("@cpu-emulation", cpu_emulation,
		 "segment and virtual 8086 mode setup"),
	SH_GROUP("@privileged-identity", privileged_identity,
		 "change user or group IDs"),
};

const struct sh_syscall_group *sh_syscall_group_find(const char *name)
{
	size_t i;

	if (name[0] == '@')
		name++;

	for (i = 0; i < sizeof(sh_groups) / sizeof(sh_groups[0]); i++) {
		if (strcmp(sh_groups[i].name + 1, name) == 0)
			return &sh_groups[i];
	}
	return NULL;
}

const struct sh_syscall_group *sh_syscall_groups(size_t *count)
{
	*count = sizeof(sh_groups) / sizeof(sh_groups[0]);
	return sh_groups;
}

/*
 * Syscall arguments that are 64 bits wide in the kernel's prototype: bit N
 * set means argument N is a pointer, size_t, off_t or unsigned long that the
 * kernel reads in full.  Any argument not listed is compared as 32 bits,
 * which is the safe side: see sh_rule_check_width() in rule.c.
 */
struct sh_arg_width {
	const char *syscall;
	unsigned int wide_args;
};

#define A(n) (1u << (n))

static const struct sh_arg_width sh_wide_args[] = {
	{ "read", A(1) | A(2) },
	{ "write", A(1) | A(2) },
	{ "pread64", A(1) | A(2) | A(3) },
	{ "pwrite64", A(1) | A(2) | A(3) },
	{ "readv", A(1) | A(2) },
	{ "writev", A(1) | A(2) },
	{ "lseek", A(1) },
	{ "open", A(0) },
	{ "openat", A(1) },
	{ "openat2", A(1) | A(2) | A(3) },
	{ "execve", A(0) | A(1) | A(2) },
	{ "execveat", A(1) | A(2) | A(3) },
	/* ioctl(unsigned int fd, unsigned int cmd, unsigned long arg) */
	{ "ioctl", A(2) },
	/* fcntl(unsigned int fd, unsigned int cmd, unsigned long arg) */
	{ "fcntl", A(2) },
	/* prctl(int option, unsigned long arg2 .. arg5) */
	{ "prctl", A(1) | A(2) | A(3) | A(4) },
	{ "arch_prctl", A(1) },
	/*
	 * clone(unsigned long flags, ...): the kernel keeps only the low 32
	 * bits of the flags, so argument 0 stays 32 bits wide here.
	 */
	{ "clone", A(1) | A(2) | A(3) | A(4) },
	{ "clone3", A(0) | A(1) },
	{ "mmap", A(0) | A(1) | A(5) },
	{ "mprotect", A(0) | A(1) },
	{ "pkey_mprotect", A(0) | A(1) },
	{ "munmap", A(0) | A(1) },
	{ "mremap", A(0) | A(1) | A(2) | A(4) },
	{ "madvise", A(0) | A(1) },
	{ "brk", A(0) },
	/* ptrace(long request, long pid, unsigned long addr, data) */
	{ "ptrace", A(0) | A(2) | A(3) },
	{ "kcmp", A(3) | A(4) },
	{ "mount", A(0) | A(1) | A(2) | A(3) | A(4) },
	{ "keyctl", A(1) | A(2) | A(3) | A(4) },
	{ "seccomp", A(2) },
	{ "bpf", A(1) },
	/* perf_event_open(attr, pid, cpu, group_fd, unsigned long flags) */
	{ "perf_event_open", A(0) | A(4) },
	{ "connect", A(1) },
	{ "bind", A(1) },
	{ "sendto", A(1) | A(2) | A(4) },
	{ "recvfrom", A(1) | A(2) | A(4) | A(5) },
	{ "sendmsg", A(1) },
	{ "recvmsg", A(1) },
	{ "setsockopt", A(3) },
	{ "getsockopt", A(3) | A(4) },
	{ "socketcall", A(1) },
	{ "process_vm_readv", A(1) | A(2) | A(3) | A(4) | A(5) },
	{ "process_vm_writev", A(1) | A(2) | A(3) | A(4) | A(5) },
	{ "io_uring_setup", A(1) },
	{ "io_uring_enter", A(4) | A(5) },
	{ "getrandom", A(0) | A(1) },
	{ "memfd_create", A(0) },
	{ "ftruncate", A(1) },
	{ "truncate", A(0) | A(1) },
	{ "fallocate", A(2) | A(3) },
	{ "reboot", A(3) },
};

bool sh_syscall_arg_is_64bit(const char *syscall, unsigned int arg)
{
	size_t i;

	if (arg > 5)
		return false;

	for (i = 0; i < sizeof(sh_wide_args) / sizeof(sh_wide_args[0]); i++) {
		if (strcmp(sh_wide_args[i].syscall, syscall) == 0)
			return sh_wide_args[i].wide_args & A(arg);
	}
	return false;
}
