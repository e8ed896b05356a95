// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syscall_bench: cost of one system call under each seccomp filter.
 *
 *   syscall_bench CONFIG OCI_PROFILE
 *
 * Compiles the "baseline" and "tenant" profiles of CONFIG with
 * sh_config_load() and sh_plan_build(), and OCI_PROFILE with sh_oci_load()
 * for Docker's default capability set and sh_filter_build().  Each round
 * forks one child per column; the child loads its filter and times every
 * row with N calls.  Rounds interleave the columns so that a change of CPU
 * clock speed during the run hits all of them alike.  Prints the median ns
 * per call of all rounds and the ratio to the unfiltered child.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sechard.h"

#define CALLS_PER_RUN 200000
#define ROUNDS 7

/* Bits of CAP_CHOWN ... CAP_SETFCAP: the set Docker gives a container. */
#define DOCKER_CAPS                                                           \
	((UINT64_C(1) << 0) | (UINT64_C(1) << 1) | (UINT64_C(1) << 3) |       \
	 (UINT64_C(1) << 4) | (UINT64_C(1) << 5) | (UINT64_C(1) << 6) |       \
	 (UINT64_C(1) << 7) | (UINT64_C(1) << 8) | (UINT64_C(1) << 10) |      \
	 (UINT64_C(1) << 13) | (UINT64_C(1) << 18) | (UINT64_C(1) << 27) |    \
	 (UINT64_C(1) << 29) | (UINT64_C(1) << 31))

/*
 * "Docker chain" is Docker's profile without libseccomp's binary tree: its
 * syscalls are tested one after another, so the rule order decides the
 * cost of a call.  runc, like this library, builds the tree.
 */
enum column {
	COL_NONE, COL_ALLOW_ALL, COL_BASELINE, COL_TENANT, COL_DOCKER,
	COL_DOCKER_CHAIN, NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"no filter", "allow-all", "baseline", "tenant", "Docker",
	"Docker chain",
};

struct bench_row {
	const char *name;
	/* one call; returns 0 or the errno the call failed with */
	int (*call)(int fd);
	bool conditional;	/* has argument rules in some filter */
};

static int call_getppid(int fd)
{
	syscall(SYS_getppid);
	return 0;
}

static int call_ioctl(int fd)
{
	int queued;

	return ioctl(fd, FIONREAD, &queued) < 0 ? errno : 0;
}

static int call_socket(int fd)
{
	int sock = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (sock < 0)
		return errno;
	close(sock);
	return 0;
}

/* 0xffffffff queries the persona without changing it. */
static int call_personality(int fd)
{
	return syscall(SYS_personality, 0xffffffffUL) < 0 ? errno : 0;
}

static const struct bench_row rows[] = {
	{ "getppid()", call_getppid, false },
	{ "ioctl(pipe, FIONREAD)", call_ioctl, true },
	{ "socket(AF_UNIX, DGRAM)+close", call_socket, true },
	{ "personality(0xffffffff)", call_personality, true },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Results the children write into memory shared with the parent. */
struct results {
	double ns[NCOLUMNS][NROWS][ROUNDS];
	int error[NCOLUMNS][NROWS];	/* errno of a failed call, 0 if none */
};

struct filters {
	const struct sh_plan *baseline;
	const struct sh_plan *tenant;
	/* a filter that allows everything: the floor of any filter */
	scmp_filter_ctx allow_all;
	scmp_filter_ctx docker[2];
	unsigned int ndocker;
	scmp_filter_ctx docker_chain[2];
	unsigned int ndocker_chain;
};

static int fail(const char *what, const struct sh_error *err)
{
	char message[1024];

	sh_error_format(err, message, sizeof(message));
	fprintf(stderr, "syscall_bench: %s: %s\n", what, message);
	return 1;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int load_plan(const struct sh_plan *plan)
{
	struct sh_error err = { 0 };

	/* The baseline filter needs no_new_privs or it waits for arm. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (sh_plan_arm(plan, &err) < 0 || sh_plan_enforce(plan, &err) < 0) {
		fail(plan->profile_name, &err);
		return -EPERM;
	}
	return 0;
}

static int load_contexts(const scmp_filter_ctx *contexts, unsigned int count)
{
	unsigned int i;
	int r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	for (i = 0; i < count; i++) {
		r = seccomp_load(contexts[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int load_filter(const struct filters *filters, enum column column)
{
	switch (column) {
	case COL_NONE:
		return 0;
	case COL_ALLOW_ALL:
		return load_contexts(&filters->allow_all, 1);
	case COL_BASELINE:
		return load_plan(filters->baseline);
	case COL_TENANT:
		return load_plan(filters->tenant);
	case COL_DOCKER:
		return load_contexts(filters->docker, filters->ndocker);
	case COL_DOCKER_CHAIN:
		return load_contexts(filters->docker_chain,
				     filters->ndocker_chain);
	default:
		return -EINVAL;
	}
}

static void time_rows(struct results *results, enum column column,
		      unsigned int round, int fd)
{
	unsigned int row, i;
	double start;

	for (row = 0; row < NROWS; row++) {
		results->error[column][row] = rows[row].call(fd);

		start = now_ns();
		for (i = 0; i < CALLS_PER_RUN; i++)
			rows[row].call(fd);
		results->ns[column][row][round] =
			(now_ns() - start) / CALLS_PER_RUN;
	}
}

static int run_child(const struct filters *filters, struct results *results,
		     enum column column, unsigned int round)
{
	int pipe_fds[2];
	pid_t child;
	int status;

	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		/* The pipe is made before the filter so every row has an fd. */
		if (pipe(pipe_fds) < 0 || load_filter(filters, column) < 0)
			_exit(1);
		time_rows(results, column, round, pipe_fds[0]);
		_exit(0);
	}

	if (waitpid(child, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void sort_rounds(const double *values, double sorted[ROUNDS])
{
	memcpy(sorted, values, ROUNDS * sizeof(sorted[0]));
	qsort(sorted, ROUNDS, sizeof(sorted[0]), compare_doubles);
}

static double median(const double *values)
{
	double sorted[ROUNDS];

	sort_rounds(values, sorted);
	return sorted[ROUNDS / 2];
}

/*
 * How far apart the middle rounds of one cell lie: the range between the
 * lower and upper quartile.  This run cannot distinguish two medians
 * closer than that.
 */
static double spread(const double *values)
{
	double sorted[ROUNDS];

	sort_rounds(values, sorted);
	return sorted[ROUNDS - 1 - ROUNDS / 4] - sorted[ROUNDS / 4];
}

static unsigned int count_insns(scmp_filter_ctx ctx)
{
	int fd = memfd_create("bench-bpf", MFD_CLOEXEC);
	off_t size = -1;

	if (fd < 0)
		return 0;
	if (seccomp_export_bpf(ctx, fd) == 0)
		size = lseek(fd, 0, SEEK_END);
	close(fd);
	return size > 0 ? (unsigned int)(size / 8) : 0;
}

static void print_sizes(const struct filters *filters)
{
	const struct sh_plan *plans[2] = { filters->baseline, filters->tenant };
	unsigned int i, j;

	printf("BPF instructions per filter:");
	for (i = 0; i < 2; i++) {
		printf(" %s", plans[i]->profile_name);
		for (j = 0; j < plans[i]->nfilters; j++)
			printf("%s%u", j ? "+" : " ", plans[i]->filters[j].len);
		printf(",");
	}
	printf(" allow-all %u, Docker", count_insns(filters->allow_all));
	for (j = 0; j < filters->ndocker; j++)
		printf("%s%u", j ? "+" : " ", count_insns(filters->docker[j]));
	printf(", Docker chain");
	for (j = 0; j < filters->ndocker_chain; j++)
		printf("%s%u", j ? "+" : " ",
		       count_insns(filters->docker_chain[j]));
	printf("\n\n");
}

static void print_table(const struct results *results)
{
	unsigned int row, column;
	double base, value;

	printf("ns per call, median of %d runs of %d calls (ratio to no filter)\n",
	       ROUNDS, CALLS_PER_RUN);
	printf("%-29s", "syscall");
	for (column = 0; column < NCOLUMNS; column++)
		printf(" %15s", column_names[column]);
	printf("\n");

	for (row = 0; row < NROWS; row++) {
		base = median(results->ns[COL_NONE][row]);
		printf("%-29s", rows[row].name);
		for (column = 0; column < NCOLUMNS; column++) {
			value = median(results->ns[column][row]);
			printf(" %6.0f (%4.2fx)%s", value, value / base,
			       results->error[column][row] ? "!" : " ");
		}
		printf("\n");
	}
	printf("'!': the call failed under that filter (first errno below)\n");
	for (row = 0; row < NROWS; row++)
		for (column = 0; column < NCOLUMNS; column++)
			if (results->error[column][row])
				printf("  %s under %s: %s\n", rows[row].name,
				       column_names[column],
				       strerror(results->error[column][row]));
}

/* Targets: an allowed call within 5%; conditional calls no slower than Docker. */
static void print_targets(const struct results *results)
{
	static const enum column ours[] = { COL_BASELINE, COL_TENANT };
	double base, value, docker, noise;
	unsigned int row, i;

	printf("\ntargets\n");
	base = median(results->ns[COL_NONE][0]);
	value = median(results->ns[COL_ALLOW_ALL][0]);
	printf("  (any filter at all costs %s %+.1f%%: see allow-all)\n",
	       rows[0].name, (value / base - 1) * 100);
	for (i = 0; i < 2; i++) {
		value = median(results->ns[ours[i]][0]);
		printf("  %-9s %s within 5%% of no filter: %+.1f%% %s\n",
		       column_names[ours[i]], rows[0].name,
		       (value / base - 1) * 100,
		       value <= base * 1.05 ? "met" : "MISSED");
	}
	for (row = 0; row < NROWS; row++) {
		if (!rows[row].conditional)
			continue;
		docker = median(results->ns[COL_DOCKER][row]);
		noise = spread(results->ns[COL_DOCKER][row]);
		for (i = 0; i < 2; i++) {
			value = median(results->ns[ours[i]][row]);
			printf("  %-9s %-29s no slower than Docker: %.1f vs %.1f ns (%+.1f%%, Docker's rounds spread %.1f ns) %s\n",
			       column_names[ours[i]], rows[row].name, value,
			       docker, (value / docker - 1) * 100, noise,
			       value <= docker ? "met" :
			       value <= docker + noise ? "tie, within the spread" :
							 "MISSED");
		}
	}
}

static int build_filters(const char *config_path, const char *oci_path,
			 struct sh_config **config, struct filters *filters)
{
	static struct sh_seccomp_policy docker;
	const struct sh_profile *profile;
	struct sh_plan *plan;
	struct sh_error err = { 0 };
	unsigned int i;

	if (sh_config_load(config_path, config, &err) < 0)
		return fail("sh_config_load", &err);

	profile = sh_config_find_profile(*config, "baseline");
	if (!profile || sh_plan_build(profile, SH_ENFORCE_CHILD, &plan, &err) < 0)
		return fail("baseline", &err);
	filters->baseline = plan;

	profile = sh_config_find_profile(*config, "tenant");
	if (!profile || sh_plan_build(profile, SH_ENFORCE_CHILD, &plan, &err) < 0)
		return fail("tenant", &err);
	filters->tenant = plan;

	if (sh_oci_load(oci_path, DOCKER_CAPS, &docker, &err) < 0)
		return fail("sh_oci_load", &err);
	if (sh_filter_build(&docker, NULL, false, filters->docker,
			    &filters->ndocker, &err) < 0 ||
	    sh_filter_build(&docker, NULL, false, filters->docker_chain,
			    &filters->ndocker_chain, &err) < 0)
		return fail("sh_filter_build", &err);
	for (i = 0; i < filters->ndocker_chain; i++) {
		if (seccomp_attr_set(filters->docker_chain[i],
				     SCMP_FLTATR_CTL_OPTIMIZE, 1) < 0) {
			fprintf(stderr, "syscall_bench: cannot turn the binary tree off\n");
			return 1;
		}
	}

	filters->allow_all = seccomp_init(SCMP_ACT_ALLOW);
	if (!filters->allow_all) {
		fprintf(stderr, "syscall_bench: seccomp_init failed\n");
		return 1;
	}
	return 0;
}

/* Runs every column on one CPU so that a migration never lands in a run. */
static void pin_to_last_cpu(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (cpus < 1)
		return;
	CPU_ZERO(&set);
	CPU_SET((int)cpus - 1, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

int main(int argc, char **argv)
{
	struct filters filters = { 0 };
	struct sh_config *config = NULL;
	struct results *results;
	unsigned int round, column;

	if (argc != 3) {
		fprintf(stderr, "usage: syscall_bench CONFIG OCI_PROFILE\n");
		return 2;
	}
	if (build_filters(argv[1], argv[2], &config, &filters))
		return 1;

	results = mmap(NULL, sizeof(*results), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (results == MAP_FAILED) {
		perror("syscall_bench: mmap");
		return 1;
	}

	pin_to_last_cpu();
	for (round = 0; round < ROUNDS; round++) {
		for (column = 0; column < NCOLUMNS; column++) {
			if (run_child(&filters, results, column, round) < 0) {
				fprintf(stderr, "syscall_bench: %s child failed\n",
					column_names[column]);
				return 1;
			}
		}
	}

	print_sizes(&filters);
	print_table(results);
	print_targets(results);
	return 0;
}
