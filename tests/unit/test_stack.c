// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The merge of a filter's layers into one program (lib/stack.c).
 *
 * The merged program must give every call the verdict the kernel gives
 * when it runs the layers as separate filters.  Both are run through the
 * BPF interpreter of bpfsim.c: for every combination of two and three
 * single-return layers, and for policies like the shipped profiles over
 * every syscall number, several architectures and argument values taken
 * from the rules.  The kernel loads the merged programs in test_filter.c.
 *
 * It must also keep the kernel's bitmap of calls allowed whatever their
 * arguments, which the kernel fills by emulating the program with the
 * instructions of const_allow() below only.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "bpf.h"
#include "sechard.h"

#define X32_SYSCALL_BIT 0x40000000U
/* Argument values tried per call, at most. */
#define VALUES_MAX 48
/*
 * Syscall numbers tried on each architecture: above the highest x86_64
 * number of Linux 6.18, about 470.
 */
#define NR_LIMIT 480

struct layers {
	unsigned int count;
	struct sh_bpf programs[SH_FILTERS_MAX];
};

/* ------------------------------------------------------------------------ */
/* Helpers */

static void layers_free(struct layers *layers)
{
	while (layers->count)
		free(layers->programs[--layers->count].insns);
}

static void export_context(scmp_filter_ctx ctx, struct sh_bpf *ret)
{
	int fd = memfd_create("test-stack", MFD_CLOEXEC);
	off_t size;

	assert_true(fd >= 0);
	assert_int_equal(seccomp_export_bpf(ctx, fd), 0);
	size = lseek(fd, 0, SEEK_END);
	assert_true(size > 0);

	ret->len = (unsigned short)(size / sizeof(struct sock_filter));
	ret->insns = malloc((size_t)size);
	assert_non_null(ret->insns);
	assert_int_equal(pread(fd, ret->insns, (size_t)size, 0), size);
	close(fd);
}

/* The layers of POLICY in load order, as sh_filter_compile() merges them. */
static void build_layers(const struct sh_seccomp_policy *policy,
			 const char *const *allowance, struct layers *ret)
{
	scmp_filter_ctx ctx[2];
	struct sh_bpf fallback;
	struct sh_error err;
	unsigned int nctx = 0, i;

	memset(&err, 0, sizeof(err));
	if (sh_filter_build(policy, allowance, false, ctx, &nctx, &err) < 0 ||
	    sh_filter_build_fallback(policy, allowance, false, &fallback,
				     &err) < 0)
		fail_msg("layers: %s", err.message);

	ret->count = 0;
	export_context(ctx[0], &ret->programs[ret->count++]);
	if (fallback.len)
		ret->programs[ret->count++] = fallback;
	if (nctx > 1)
		export_context(ctx[1], &ret->programs[ret->count++]);
	for (i = 0; i < nctx; i++)
		seccomp_release(ctx[i]);
}

static uint32_t stack_verdict(const struct sh_bpf *programs,
			      unsigned int count,
			      const struct seccomp_data *data)
{
	struct sh_plan plan;
	uint32_t action = 0;
	unsigned int i;

	memset(&plan, 0, sizeof(plan));
	for (i = 0; i < count; i++)
		plan.filters[i] = programs[i];
	plan.nfilters = count;
	assert_int_equal(sh_plan_verdict(&plan, data, &action), 0);
	return action;
}

/*
 * Return whether the kernel's emulation of PROGRAM, knowing only the
 * number and the architecture of a call, reaches "return ALLOW".  Like the
 * kernel's, it gives up at an argument load and at any other instruction
 * than those below.
 */
static bool const_allow(const struct sh_bpf *program, uint32_t arch,
			uint32_t nr)
{
	const struct sock_filter *insns = program->insns;
	uint32_t a = 0;
	unsigned int pc;

	for (pc = 0; pc < program->len; pc++) {
		const struct sock_filter *insn = &insns[pc];
		bool jump_taken;

		switch (insn->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (insn->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (insn->k == offsetof(struct seccomp_data, arch))
				a = arch;
			else
				return false;
			continue;
		case BPF_RET | BPF_K:
			return insn->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += insn->k;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= insn->k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
			jump_taken = a == insn->k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			jump_taken = a >= insn->k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			jump_taken = a > insn->k;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			jump_taken = (a & insn->k) != 0;
			break;
		default:
			return false;
		}
		pc += jump_taken ? insn->jt : insn->jf;
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Single-return layers */

static const uint32_t results[] = {
	SECCOMP_RET_KILL_PROCESS,
	SECCOMP_RET_KILL_THREAD,
	SECCOMP_RET_TRAP,
	SECCOMP_RET_ERRNO | EPERM,
	SECCOMP_RET_ERRNO | EACCES,
	SECCOMP_RET_ERRNO | ENOSYS,
	SECCOMP_RET_TRACE,
	SECCOMP_RET_LOG,
	SECCOMP_RET_ALLOW,
};
#define NRESULTS (sizeof(results) / sizeof(results[0]))

static void check_returns(const uint32_t *returns, unsigned int count)
{
	struct sock_filter insns[SH_FILTERS_MAX][2];
	struct sh_bpf layers[SH_FILTERS_MAX], merged;
	const struct seccomp_data data = { .nr = 0,
					   .arch = AUDIT_ARCH_X86_64 };
	unsigned int i;

	for (i = 0; i < count; i++) {
		struct sock_filter load = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
		struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, returns[i]);

		insns[i][0] = load;
		insns[i][1] = ret;
		layers[i].len = 2;
		layers[i].insns = insns[i];
	}

	assert_int_equal(sh_bpf_merge(layers, count, &merged), 0);
	if (stack_verdict(&merged, 1, &data) !=
	    stack_verdict(layers, count, &data))
		fail_msg("returns %#x %#x %#x: merged %#x, separate %#x",
			 returns[0], returns[1],
			 count > 2 ? returns[2] : 0,
			 stack_verdict(&merged, 1, &data),
			 stack_verdict(layers, count, &data));
	free(merged.insns);
}

/* Every pair and triple, ties between different errnos included. */
static void test_every_return_combination(void **state)
{
	uint32_t returns[3];
	unsigned int a, b, c;

	for (a = 0; a < NRESULTS; a++) {
		for (b = 0; b < NRESULTS; b++) {
			returns[0] = results[a];
			returns[1] = results[b];
			check_returns(returns, 2);
			for (c = 0; c < NRESULTS; c++) {
				returns[2] = results[c];
				check_returns(returns, 3);
			}
		}
	}
}

static void test_unmergeable_layers(void **state)
{
	struct sock_filter scratch[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 1),
		BPF_STMT(BPF_ST, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter register_return[] = {
		BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_filter allow[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sh_bpf layers[2] = { { 2, allow }, { 3, scratch } };
	struct sh_bpf merged;

	assert_int_equal(sh_bpf_merge(layers, 2, &merged), -EOPNOTSUPP);
	assert_null(merged.insns);

	layers[1].len = 2;
	layers[1].insns = register_return;
	assert_int_equal(sh_bpf_merge(layers, 2, &merged), -EOPNOTSUPP);

	assert_int_equal(sh_bpf_merge(layers, 1, &merged), -EINVAL);
}

/*
 * A layer whose jump leaves it, that does not end in a return, or that
 * reads a register before loading it: a copy starts with the registers
 * the code before it left, a filter with zeros.
 */
static void test_invalid_layers(void **state)
{
	struct sock_filter jump_out[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter no_return[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	};
	struct sock_filter reads_a[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_filter reads_x[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_filter allow[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sh_bpf layers[2] = { { 2, allow }, { 3, jump_out } };
	struct sh_bpf merged;

	assert_int_equal(sh_bpf_merge(layers, 2, &merged), -EOPNOTSUPP);

	layers[1].insns = no_return;
	assert_int_equal(sh_bpf_merge(layers, 2, &merged), -EOPNOTSUPP);

	layers[1].insns = reads_a;
	assert_int_equal(sh_bpf_merge(layers, 2, &merged), -EOPNOTSUPP);

	layers[1].len = 4;
	layers[1].insns = reads_x;
	assert_int_equal(sh_bpf_merge(layers, 2, &merged), -EOPNOTSUPP);
}

/* Two long layers: the merged program would pass BPF_MAXINSNS. */
static void test_too_long(void **state)
{
	struct sock_filter *insns = calloc(3000, sizeof(*insns));
	struct sh_bpf layers[2], merged;
	unsigned int i;

	assert_non_null(insns);
	for (i = 0; i < 3000; i++) {
		struct sock_filter skip = BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);

		insns[i] = skip;
	}
	insns[0].code = BPF_LD | BPF_W | BPF_ABS;
	insns[2999].code = BPF_RET | BPF_K;
	insns[2999].k = SECCOMP_RET_ALLOW;
	layers[0].len = 3000;
	layers[0].insns = insns;
	layers[1] = layers[0];

	assert_int_equal(sh_bpf_merge(layers, 2, &merged), -E2BIG);
	assert_null(merged.insns);
	free(insns);
}

/* ------------------------------------------------------------------------ */
/* Policies */

struct policy_case {
	const char *name;
	enum sh_seccomp_mode mode;
	const char *allow;
	const char *deny;
	bool complain;
	bool i386;		/* opt in to the 32-bit entry point */
};

static const struct policy_case policies[] = {
	{ "tenant-like", SH_SECCOMP_ALLOWLIST,
	  "@default, @basic-io, @file-system, @process, @signal, @network, personality(arg0 == 0), personality(arg0 == PER_LINUX32), personality(arg0 == 0xffffffff)",
	  "clone3:ENOSYS, ioctl(arg1 == TIOCSTI), ioctl(arg1 == TIOCLINUX), unshare, socket(arg0 == AF_NETLINK):EACCES, clone(arg0 & CLONE_NEWUSER == CLONE_NEWUSER)",
	  false, false },
	{ "baseline-like", SH_SECCOMP_DENYLIST,
	  "personality(arg0 == 0), personality(arg0 == PER_LINUX32), personality(arg0 == 0xffffffff)",
	  "@mount, ioctl(arg1 == TIOCSTI), unshare(arg0 & CLONE_NEWUSER == CLONE_NEWUSER), clone3:ENOSYS, setns, getppid:EACCES, getppid(arg0 == 1):kill",
	  false, false },
	{ "not-equal allow", SH_SECCOMP_ALLOWLIST,
	  "@default, socket(arg0 != AF_VSOCK), kill(arg1 < 3), kill(arg1 == 9)",
	  "ioctl(arg1 == TIOCSTI):EACCES, mmap(arg2 & 0x4 == 0x4):kill",
	  false, false },
	{ "complain", SH_SECCOMP_ALLOWLIST,
	  "@default, personality(arg0 == 0xffffffff)",
	  "personality(arg0 == READ_IMPLIES_EXEC):EACCES, ioctl(arg1 == TIOCSTI)",
	  true, false },
	{ "32-bit opt-in", SH_SECCOMP_ALLOWLIST,
	  "@default, @basic-io, personality(arg0 == 0)",
	  "ioctl(arg1 == TIOCSTI), socket(arg0 == AF_PACKET):EACCES",
	  false, true },
};

static void policy_load(const struct policy_case *c,
			struct sh_seccomp_policy *policy)
{
	struct sh_error err;

	memset(policy, 0, sizeof(*policy));
	memset(&err, 0, sizeof(err));
	policy->mode = c->mode;
	policy->default_errno = EPERM;
	policy->complain = c->complain;
	if (c->i386) {
		policy->narch = 1;
		policy->arch[0] = SCMP_ARCH_X86;
	}
	if (sh_seccomp_add_list(policy, c->allow, true, "test.conf", 1,
				&err) < 0 ||
	    sh_seccomp_add_list(policy, c->deny, false, "test.conf", 2,
				&err) < 0)
		fail_msg("%s: %s: %s", c->name, err.key, err.message);
}

static void add_value(uint64_t *values, size_t *count, uint64_t value)
{
	size_t i;

	for (i = 0; i < *count; i++) {
		if (values[i] == value)
			return;
	}
	if (*count < VALUES_MAX)
		values[(*count)++] = value;
}

/* Argument values on both sides of every condition of POLICY. */
static size_t rule_values(const struct sh_seccomp_policy *policy,
			  uint64_t *values)
{
	size_t count = 0, i;
	unsigned int c;

	add_value(values, &count, 0);
	add_value(values, &count, UINT64_MAX);
	add_value(values, &count, 0xffffffffULL);
	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		for (c = 0; c < rule->ncond; c++) {
			uint64_t v = rule->cond[c].value;
			uint64_t two = rule->cond[c].value_two;

			add_value(values, &count, v);
			add_value(values, &count, v + 1);
			add_value(values, &count, v - 1);
			add_value(values, &count, v | 0xffffffff00000000ULL);
			add_value(values, &count, two);
			add_value(values, &count, two | ~v);
		}
	}
	return count;
}

/* Whether a rule of POLICY names syscall NR of ARCH (x32 included). */
static bool names_nr(const struct sh_seccomp_policy *policy, uint32_t arch,
		     uint32_t nr)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		const char *name = policy->rules[i].syscall;

		if (seccomp_syscall_resolve_name_arch(arch, name) == (int)nr ||
		    (arch == SCMP_ARCH_X86_64 &&
		     seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, name) ==
			     (int)nr))
			return true;
	}
	return false;
}

/*
 * Compare the merged program with the separate layers for every number
 * below NR_LIMIT on ARCH (x32 numbers too on x86_64), each argument set to
 * each value in turn.  Numbers that no rule names get only the first three
 * values, because no condition reads their arguments.
 */
static void compare_arch(const char *name,
			 const struct sh_seccomp_policy *policy,
			 const struct layers *layers,
			 const struct sh_bpf *merged, uint32_t arch,
			 const uint64_t *values, size_t nvalues)
{
	struct seccomp_data data;
	uint32_t nr, base;
	unsigned int arg;
	size_t v, tried;

	for (base = 0; base <= X32_SYSCALL_BIT; base += X32_SYSCALL_BIT) {
		for (nr = base; nr < base + NR_LIMIT; nr++) {
			memset(&data, 0, sizeof(data));
			data.arch = arch;
			data.nr = (int)nr;
			tried = names_nr(policy, arch, nr) ? nvalues : 3;

			for (v = 0; v < tried * 6; v++) {
				uint32_t expected, got;

				arg = (unsigned int)(v % 6);
				memset(data.args, 0, sizeof(data.args));
				data.args[arg] = values[v / 6];

				expected = stack_verdict(layers->programs,
							 layers->count, &data);
				got = stack_verdict(merged, 1, &data);
				if (got != expected)
					fail_msg("%s: arch %#x nr %#x arg%u = %#llx: merged %#x, separate %#x",
						 name, arch, nr, arg,
						 (unsigned long long)values[v / 6],
						 got, expected);
			}
		}
	}
}

/* Same bitmap entries: allowed whatever the arguments, by number alone. */
static void compare_bitmap(const char *name, const struct layers *layers,
			   const struct sh_bpf *merged)
{
	uint32_t arch = AUDIT_ARCH_X86_64, nr;
	unsigned int allowed = 0, i;

	for (nr = 0; nr < NR_LIMIT; nr++) {
		bool all = true;

		for (i = 0; i < layers->count; i++)
			all = all && const_allow(&layers->programs[i], arch, nr);
		if (const_allow(merged, arch, nr) != all)
			fail_msg("%s: nr %u: bitmap %s after merging", name, nr,
				 all ? "lost" : "gained");
		allowed += all;
	}
	/* the cases allow most calls; a bitmap that is empty tests nothing */
	assert_true(allowed > 50);
}

static void check_policy(const char *name,
			 const struct sh_seccomp_policy *policy,
			 const char *const *allowance)
{
	struct sh_bpf programs[SH_FILTERS_MAX];
	uint64_t values[VALUES_MAX];
	struct layers layers;
	struct sh_error err;
	unsigned int count = 0;
	size_t nvalues;

	memset(&err, 0, sizeof(err));
	build_layers(policy, allowance, &layers);
	if (sh_filter_compile(policy, allowance, programs, &count, &err) < 0)
		fail_msg("%s: %s", name, err.message);
	assert_int_equal(count, 1);
	if (layers.count < 2)
		fail_msg("%s: %u layer: nothing to merge", name, layers.count);

	nvalues = rule_values(policy, values);
	compare_arch(name, policy, &layers, &programs[0], AUDIT_ARCH_X86_64,
		     values, nvalues);
	compare_arch(name, policy, &layers, &programs[0], AUDIT_ARCH_I386,
		     values, nvalues);
	compare_arch(name, policy, &layers, &programs[0], AUDIT_ARCH_AARCH64,
		     values, 3);
	compare_bitmap(name, &layers, &programs[0]);

	free(programs[0].insns);
	layers_free(&layers);
}

static void test_policies_keep_verdicts(void **state)
{
	const enum sh_enforce_point points[] = { SH_ENFORCE_CHILD,
						 SH_ENFORCE_OPEN };
	struct sh_seccomp_policy policy;
	size_t i, p;

	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		policy_load(&policies[i], &policy);
		for (p = 0; p < 2; p++)
			check_policy(policies[i].name, &policy,
				     sh_enforce_allowance(points[p]));
		sh_seccomp_policy_clear(&policy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_return_combination),
		cmocka_unit_test(test_unmergeable_layers),
		cmocka_unit_test(test_invalid_layers),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_policies_keep_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
