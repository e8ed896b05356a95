// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fallback filter, written as classic BPF without libseccomp.
 *
 * libseccomp 2.5 cannot give one syscall "allow when these conditions hold,
 * else the profile's default": an unconditional rule for the syscall
 * replaces its conditional ones.  So the first filter of an allow-list
 * leaves such a call to its own default, ENOSYS.  This filter runs as well
 * and returns the profile's default action for the same calls.  The kernel
 * takes the strictest result of all filters and, between two ERRNO
 * results, the one of the filter loaded later, so the default action wins
 * over ENOSYS.  For a call that an allow rule matches this filter returns
 * ALLOW, which never relaxes what the other filters decide.
 *
 * Layout of the program:
 *
 *   arch != native          -> secondary architecture ? ALLOW : bad arch
 *   nr has the x32 bit      -> x32 is filtered ? ALLOW : bad arch
 *   nr == S1                -> block of S1
 *   ...
 *   ALLOW
 *   block of S: one test per allow rule, ALLOW on the first that holds,
 *               then the default action
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"

/* x32 syscall numbers carry this bit (the kernel's __X32_SYSCALL_BIT). */
#define X32_SYSCALL_BIT 0x40000000
/* Maximum distance of a conditional jump (jt and jf are 8 bits wide). */
#define JUMP_MAX 255
/* Jump target meaning "the next instruction". */
#define FALL_THROUGH 0xffffffffU

enum jump_field {
	JUMP_IF_TRUE,
	JUMP_IF_FALSE,
	JUMP_ALWAYS,
};

/* A jump whose target label is not placed yet. */
struct fixup {
	unsigned int insn;
	unsigned int label;
	enum jump_field field;
};

struct program {
	/* too_long is also set by a jump over JUMP_MAX */
	struct sh_bpf_buffer out;
	struct fixup *fixups;		/* two per instruction at most */
	unsigned int nfixups;
	unsigned int nlabels;
};

/* ------------------------------------------------------------------------ */
/* Assembler */

void sh_bpf_emit(struct sh_bpf_buffer *buf, uint16_t code, uint8_t jt,
		 uint8_t jf, uint32_t k)
{
	struct sock_filter insn = { code, jt, jf, k };

	if (buf->len == BPF_MAXINSNS) {
		buf->too_long = true;
		return;
	}
	buf->insns[buf->len++] = insn;
}

static void emit(struct program *p, uint16_t code, uint8_t jt, uint8_t jf,
		 uint32_t k)
{
	sh_bpf_emit(&p->out, code, jt, jf, k);
}

static unsigned int new_label(struct program *p)
{
	return p->nlabels++;
}

static void add_fixup(struct program *p, unsigned int label,
		      enum jump_field field)
{
	struct fixup fixup = { p->out.len - 1, label, field };

	if (label == FALL_THROUGH || p->out.too_long)
		return;
	p->fixups[p->nfixups++] = fixup;
}

/* Emit "if (A OP K) goto TRUE_LABEL else goto FALSE_LABEL". */
static void emit_jump(struct program *p, uint16_t op, uint32_t k,
		      unsigned int true_label, unsigned int false_label)
{
	emit(p, BPF_JMP | op | BPF_K, 0, 0, k);
	add_fixup(p, true_label, JUMP_IF_TRUE);
	add_fixup(p, false_label, JUMP_IF_FALSE);
}

static void emit_goto(struct program *p, unsigned int label)
{
	emit(p, BPF_JMP | BPF_JA, 0, 0, 0);
	add_fixup(p, label, JUMP_ALWAYS);
}

/*
 * Emit "if (!(A OP K)) goto FALSE_LABEL" for a target that may lie more
 * than JUMP_MAX instructions ahead: the test skips a long jump.
 */
static void emit_jump_far(struct program *p, uint16_t op, uint32_t k,
			  unsigned int false_label)
{
	emit(p, BPF_JMP | op | BPF_K, 1, 0, k);
	emit_goto(p, false_label);
}

static void emit_load(struct program *p, uint32_t offset)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offset);
}

static void emit_return(struct program *p, uint32_t action)
{
	emit(p, BPF_RET | BPF_K, 0, 0, action);
}

/* Make LABEL name the next instruction and patch the jumps to it. */
static void place_label(struct program *p, unsigned int label)
{
	unsigned int i = 0;

	while (i < p->nfixups) {
		struct fixup *fixup = &p->fixups[i];
		unsigned int distance = p->out.len - fixup->insn - 1;
		struct sock_filter *insn = &p->out.insns[fixup->insn];

		if (fixup->label != label) {
			i++;
			continue;
		}

		if (fixup->field == JUMP_ALWAYS)
			insn->k = distance;
		else if (distance > JUMP_MAX)
			p->out.too_long = true;
		else if (fixup->field == JUMP_IF_TRUE)
			insn->jt = (uint8_t)distance;
		else
			insn->jf = (uint8_t)distance;

		p->fixups[i] = p->fixups[--p->nfixups];
	}
}

/* ------------------------------------------------------------------------ */
/* Argument conditions */

static uint32_t arg_offset(unsigned int arg, bool high_word)
{
	uint32_t offset = (uint32_t)(offsetof(struct seccomp_data, args) +
				     arg * sizeof(uint64_t));

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return high_word ? offset + 4 : offset;
#else
	return high_word ? offset : offset + 4;
#endif
}

/*
 * Emit "arg > value" (or ">=" when OR_EQUAL), unsigned over 64 bits: the
 * high words decide unless they are equal.
 */
static void emit_greater(struct program *p, const struct sh_cond *cond,
			 bool or_equal, unsigned int fail)
{
	uint32_t high = (uint32_t)(cond->value >> 32);
	uint32_t low = (uint32_t)cond->value;
	unsigned int pass = new_label(p);

	emit_load(p, arg_offset(cond->arg, true));
	emit_jump(p, BPF_JGT, high, pass, FALL_THROUGH);
	emit_jump(p, BPF_JEQ, high, FALL_THROUGH, fail);
	emit_load(p, arg_offset(cond->arg, false));
	emit_jump(p, or_equal ? BPF_JGE : BPF_JGT, low, FALL_THROUGH, fail);
	place_label(p, pass);
}

/* Emit "arg < value" (or "<=" when OR_EQUAL), unsigned over 64 bits. */
static void emit_less(struct program *p, const struct sh_cond *cond,
		      bool or_equal, unsigned int fail)
{
	uint32_t high = (uint32_t)(cond->value >> 32);
	uint32_t low = (uint32_t)cond->value;
	unsigned int pass = new_label(p);

	emit_load(p, arg_offset(cond->arg, true));
	emit_jump(p, BPF_JGE, high, FALL_THROUGH, pass);
	emit_jump(p, BPF_JEQ, high, FALL_THROUGH, fail);
	emit_load(p, arg_offset(cond->arg, false));
	emit_jump(p, or_equal ? BPF_JGT : BPF_JGE, low, fail, FALL_THROUGH);
	place_label(p, pass);
}

/* Emit "(arg & mask) == datum" on both words; plain == uses a full mask. */
static void emit_masked_equal(struct program *p, unsigned int arg,
			      uint64_t mask, uint64_t datum, unsigned int fail)
{
	int word;

	for (word = 1; word >= 0; word--) {
		unsigned int shift = word ? 32 : 0;
		uint32_t word_mask = (uint32_t)(mask >> shift);

		emit_load(p, arg_offset(arg, word));
		if (word_mask != 0xffffffffU)
			emit(p, BPF_ALU | BPF_AND | BPF_K, 0, 0, word_mask);
		emit_jump(p, BPF_JEQ, (uint32_t)(datum >> shift),
			  FALL_THROUGH, fail);
	}
}

static void emit_not_equal(struct program *p, const struct sh_cond *cond,
			   unsigned int fail)
{
	unsigned int pass = new_label(p);

	emit_load(p, arg_offset(cond->arg, true));
	emit_jump(p, BPF_JEQ, (uint32_t)(cond->value >> 32), FALL_THROUGH,
		  pass);
	emit_load(p, arg_offset(cond->arg, false));
	emit_jump(p, BPF_JEQ, (uint32_t)cond->value, fail, FALL_THROUGH);
	place_label(p, pass);
}

/*
 * Emit a test of COND that jumps to FAIL when it does not hold.  All 64
 * bits take part, also for a low32 argument: for an allow rule, high bits
 * a caller sets only make the call miss, and a miss is denied.
 */
static void emit_condition(struct program *p, const struct sh_cond *cond,
			   unsigned int fail)
{
	switch (cond->op) {
	case SCMP_CMP_EQ:
		emit_masked_equal(p, cond->arg, UINT64_MAX, cond->value, fail);
		break;
	case SCMP_CMP_MASKED_EQ:
		emit_masked_equal(p, cond->arg, cond->value, cond->value_two,
				  fail);
		break;
	case SCMP_CMP_NE:
		emit_not_equal(p, cond, fail);
		break;
	case SCMP_CMP_GT:
	case SCMP_CMP_GE:
		emit_greater(p, cond, cond->op == SCMP_CMP_GE, fail);
		break;
	case SCMP_CMP_LT:
	case SCMP_CMP_LE:
		emit_less(p, cond, cond->op == SCMP_CMP_LE, fail);
		break;
	default:
		/* never allow on a comparison this file cannot encode */
		emit_goto(p, fail);
		break;
	}
}

/* ------------------------------------------------------------------------ */
/* Program */

static void emit_call_block(struct program *p,
			    const struct sh_seccomp_policy *policy,
			    const char *name, uint32_t default_action)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];
		unsigned int next_rule;
		unsigned int c;

		if (!rule->allow || strcmp(rule->syscall, name) != 0)
			continue;

		next_rule = new_label(p);
		for (c = 0; c < rule->ncond; c++)
			emit_condition(p, &rule->cond[c], next_rule);
		emit_return(p, SCMP_ACT_ALLOW);
		place_label(p, next_rule);
	}
	emit_return(p, default_action);
}

static bool policy_filters_arch(const struct sh_seccomp_policy *policy,
				uint32_t arch)
{
	unsigned int i;

	for (i = 0; i < policy->narch && i < 4; i++) {
		if (policy->arch[i] == arch)
			return true;
	}
	return false;
}

/*
 * With the syscall number loaded, refuse the fallback syscalls outright on
 * a secondary architecture and allow the rest.  Their argument conditions
 * are not repeated there: on a deny-list nothing else would stop those
 * calls, so refusing them is the safe side.
 * NOTE: a 32-bit program therefore cannot call a conditionally allowed
 * syscall (personality, say) even with an allowed value.
 */
static void emit_arch_block(struct program *p, uint32_t arch,
			    const struct sh_bpf_call *calls, size_t ncalls,
			    uint32_t default_action)
{
	size_t i;

	for (i = 0; i < ncalls; i++) {
		int nr = seccomp_syscall_resolve_name_arch(arch, calls[i].name);
		unsigned int other;

		if (nr < 0)
			continue;
		other = new_label(p);
		emit_jump(p, BPF_JEQ, (uint32_t)nr, FALL_THROUGH, other);
		emit_return(p, default_action);
		place_label(p, other);
	}
	emit_return(p, SCMP_ACT_ALLOW);
}

/* Calls through an architecture other than the native one. */
static void emit_other_arches(struct program *p,
			      const struct sh_seccomp_policy *policy,
			      const struct sh_bpf_call *calls, size_t ncalls,
			      uint32_t default_action, uint32_t badarch_action)
{
	unsigned int i;

	for (i = 0; i < policy->narch && i < 4; i++) {
		unsigned int next = new_label(p);

		emit_jump_far(p, BPF_JEQ, policy->arch[i], next);
		emit_load(p, offsetof(struct seccomp_data, nr));
		emit_arch_block(p, policy->arch[i], calls, ncalls,
				default_action);
		place_label(p, next);
	}
	emit_return(p, badarch_action);
}

static void emit_program(struct program *p,
			 const struct sh_seccomp_policy *policy,
			 const struct sh_bpf_call *calls, size_t ncalls,
			 uint32_t default_action, uint32_t badarch_action)
{
	uint32_t native = seccomp_arch_native();
	unsigned int other_arch = new_label(p);
	unsigned int first_block = p->nlabels;
	size_t i;

	emit_load(p, offsetof(struct seccomp_data, arch));
	emit_jump_far(p, BPF_JEQ, native, other_arch);
	emit_load(p, offsetof(struct seccomp_data, nr));

	if (native == SCMP_ARCH_X86_64) {
		unsigned int not_x32 = new_label(p);

		emit_jump_far(p, BPF_JSET, X32_SYSCALL_BIT, not_x32);
		if (policy_filters_arch(policy, SCMP_ARCH_X32))
			emit_arch_block(p, SCMP_ARCH_X32, calls, ncalls,
					default_action);
		else
			emit_return(p, badarch_action);
		place_label(p, not_x32);
	}

	/* a short test per syscall and a long jump, so any count fits */
	p->nlabels += (unsigned int)ncalls;
	for (i = 0; i < ncalls; i++) {
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (uint32_t)calls[i].nr);
		emit_goto(p, first_block + (unsigned int)i);
	}
	emit_return(p, SCMP_ACT_ALLOW);

	for (i = 0; i < ncalls; i++) {
		place_label(p, first_block + (unsigned int)i);
		emit_call_block(p, policy, calls[i].name, default_action);
	}

	place_label(p, other_arch);
	emit_other_arches(p, policy, calls, ncalls, default_action,
			  badarch_action);
}

int sh_bpf_build_fallback(const struct sh_seccomp_policy *policy,
			  const struct sh_bpf_call *calls, size_t ncalls,
			  uint32_t default_action, uint32_t badarch_action,
			  struct sh_bpf *ret, struct sh_error *err)
{
	struct program p = { 0 };
	int r = 0;

	ret->len = 0;
	ret->insns = NULL;

	p.out.insns = calloc(BPF_MAXINSNS, sizeof(*p.out.insns));
	p.fixups = calloc(2 * BPF_MAXINSNS, sizeof(*p.fixups));
	if (!p.out.insns || !p.fixups) {
		r = sh_error_set(err, ENOMEM, NULL, 0, "seccomp",
				 "out of memory");
		goto out;
	}

	emit_program(&p, policy, calls, ncalls, default_action,
		     badarch_action);
	if (p.out.too_long) {
		r = sh_error_set(err, E2BIG, NULL, 0, "seccomp",
				 "the fallback filter for conditional allows needs more than %d instructions or a jump longer than %d; write fewer conditional allow rules",
				 BPF_MAXINSNS, JUMP_MAX);
		goto out;
	}
	if (p.nfixups) {
		r = sh_error_set(err, EINVAL, NULL, 0, "seccomp",
				 "internal error: %u jumps of the fallback filter have no target",
				 p.nfixups);
		goto out;
	}

	ret->len = (unsigned short)p.out.len;
	ret->insns = p.out.insns;
	p.out.insns = NULL;
out:
	free(p.out.insns);
	free(p.fixups);
	return r;
}
