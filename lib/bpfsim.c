// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Filter simulation: a classic BPF interpreter for seccomp programs, and the
 * rule by which the kernel combines the results of several filters.
 *
 * It runs the exact programs that sh_plan_build() compiled, so that callers
 * such as "sechard explain" report what the kernel does with a call rather
 * than a second reading of the policy.  Only the instructions the kernel
 * accepts in a seccomp filter are interpreted: a program with any other
 * instruction is invalid here, as the kernel refuses to load it.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>

#include "sechard.h"

/* The kernel refuses longer programs (BPF_MAXINSNS). */
#define BPF_INSNS_MAX 4096

/* Registers and scratch memory of the classic BPF machine. */
struct bpf_machine {
	uint32_t a;
	uint32_t x;
	uint32_t mem[BPF_MEMWORDS];
	uint32_t mem_written;	/* bit N set: mem[N] has been stored */
};

/* ------------------------------------------------------------------------ */
/* Validation */

/* True for the opcodes the kernel accepts in a seccomp filter. */
static bool opcode_allowed(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_NEG:
	case BPF_JMP | BPF_JA:
		return true;
	}

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
		switch (code & ~BPF_X) {
		case BPF_ALU | BPF_ADD:
		case BPF_ALU | BPF_SUB:
		case BPF_ALU | BPF_MUL:
		case BPF_ALU | BPF_DIV:
		case BPF_ALU | BPF_AND:
		case BPF_ALU | BPF_OR:
		case BPF_ALU | BPF_XOR:
		case BPF_ALU | BPF_LSH:
		case BPF_ALU | BPF_RSH:
			return true;
		}
		return false;
	case BPF_JMP:
		switch (code & ~BPF_X) {
		case BPF_JMP | BPF_JEQ:
		case BPF_JMP | BPF_JGT:
		case BPF_JMP | BPF_JGE:
		case BPF_JMP | BPF_JSET:
			return true;
		}
		return false;
	default:
		return false;
	}
}

/* Check the operands of the instruction at PC, as the kernel does at load. */
static bool operands_valid(const struct sock_filter *insns, unsigned int len,
			   unsigned int pc)
{
	const struct sock_filter *insn = &insns[pc];
	unsigned int remaining = len - pc - 1;	/* instructions after pc */

	switch (insn->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		return insn->k % 4 == 0 &&
		       insn->k <= sizeof(struct seccomp_data) - 4;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		return insn->k < BPF_MEMWORDS;
	case BPF_ALU | BPF_DIV | BPF_K:
		return insn->k != 0;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		return insn->k < 32;
	case BPF_JMP | BPF_JA:
		return insn->k < remaining;
	}

	if (BPF_CLASS(insn->code) == BPF_JMP)
		return insn->jt < remaining && insn->jf < remaining;
	return true;
}

/*
 * Refuse a program that might read a scratch word no store has written.
 * As the kernel does at load time, judge each instruction by the words
 * stored before every jump to it and before the instruction ahead of it,
 * even when that one is a return.
 */
static bool scratch_reads_valid(const struct sock_filter *insns,
				unsigned int len)
{
	uint16_t stored_before[BPF_INSNS_MAX];	/* bit N: mem[N] written */
	uint16_t stored = 0;
	unsigned int pc;

	memset(stored_before, 0xff, len * sizeof(stored_before[0]));
	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *insn = &insns[pc];

		stored &= stored_before[pc];
		switch (insn->code) {
		case BPF_ST:
		case BPF_STX:
			stored |= (uint16_t)(1U << insn->k);
			continue;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(stored & (1U << insn->k)))
				return false;
			continue;
		case BPF_JMP | BPF_JA:
			stored_before[pc + 1 + insn->k] &= stored;
			stored = 0xffff;
			continue;
		}
		if (BPF_CLASS(insn->code) == BPF_JMP) {
			stored_before[pc + 1 + insn->jt] &= stored;
			stored_before[pc + 1 + insn->jf] &= stored;
			stored = 0xffff;
		}
	}
	return true;
}

static int validate(const struct sh_bpf *filter)
{
	const struct sock_filter *insns = filter->insns;
	unsigned int pc;

	if (filter->len == 0 || !insns)
		return -EINVAL;
	if (filter->len > BPF_INSNS_MAX)
		return -E2BIG;

	for (pc = 0; pc < filter->len; pc++) {
		if (!opcode_allowed(insns[pc].code) ||
		    !operands_valid(insns, filter->len, pc))
			return -EINVAL;
	}

	/* Jumps only go forward, so this also rules out falling off the end. */
	if (BPF_CLASS(insns[filter->len - 1].code) != BPF_RET)
		return -EINVAL;
	if (!scratch_reads_valid(insns, filter->len))
		return -EINVAL;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Execution */

static uint32_t load_word(const struct seccomp_data *data, uint32_t offset)
{
	uint32_t word;

	memcpy(&word, (const unsigned char *)data + offset, sizeof(word));
	return word;
}

/*
 * Apply the ALU instruction INSN to the accumulator.  Returns false for a
 * division by an X of zero, after which a classic BPF program returns 0.
 */
static bool run_alu(struct bpf_machine *m, const struct sock_filter *insn)
{
	uint32_t operand = BPF_SRC(insn->code) == BPF_X ? m->x : insn->k;

	switch (BPF_OP(insn->code)) {
	case BPF_ADD:
		m->a += operand;
		break;
	case BPF_SUB:
		m->a -= operand;
		break;
	case BPF_MUL:
		m->a *= operand;
		break;
	case BPF_DIV:
		if (operand == 0)
			return false;
		m->a /= operand;
		break;
	case BPF_AND:
		m->a &= operand;
		break;
	case BPF_OR:
		m->a |= operand;
		break;
	case BPF_XOR:
		m->a ^= operand;
		break;
	case BPF_LSH:
		/* the kernel's interpreter uses the low 5 bits of X */
		m->a <<= operand & 31;
		break;
	case BPF_RSH:
		m->a >>= operand & 31;
		break;
	case BPF_NEG:
		m->a = -m->a;
		break;
	}
	return true;
}

static bool jump_taken(const struct bpf_machine *m,
		       const struct sock_filter *insn)
{
	uint32_t operand = BPF_SRC(insn->code) == BPF_X ? m->x : insn->k;

	switch (BPF_OP(insn->code)) {
	case BPF_JEQ:
		return m->a == operand;
	case BPF_JGT:
		return m->a > operand;
	case BPF_JGE:
		return m->a >= operand;
	case BPF_JSET:
		return (m->a & operand) != 0;
	default:
		return false;
	}
}

/* Read scratch word K; false when it was never stored on this path. */
static bool read_mem(const struct bpf_machine *m, uint32_t k, uint32_t *ret)
{
	if (!(m->mem_written & (1U << k)))
		return false;
	*ret = m->mem[k];
	return true;
}

static void write_mem(struct bpf_machine *m, uint32_t k, uint32_t value)
{
	m->mem[k] = value;
	m->mem_written |= 1U << k;
}

/*
 * Run the load, store and register-move instruction INSN.  Returns false
 * when it reads scratch memory that was never stored, which validate()
 * has ruled out already on every path.
 */
static bool run_move(struct bpf_machine *m, const struct seccomp_data *data,
		     const struct sock_filter *insn)
{
	switch (insn->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		m->a = load_word(data, insn->k);
		return true;
	case BPF_LD | BPF_W | BPF_LEN:
		m->a = sizeof(struct seccomp_data);
		return true;
	case BPF_LDX | BPF_W | BPF_LEN:
		m->x = sizeof(struct seccomp_data);
		return true;
	case BPF_LD | BPF_IMM:
		m->a = insn->k;
		return true;
	case BPF_LDX | BPF_IMM:
		m->x = insn->k;
		return true;
	case BPF_LD | BPF_MEM:
		return read_mem(m, insn->k, &m->a);
	case BPF_LDX | BPF_MEM:
		return read_mem(m, insn->k, &m->x);
	case BPF_ST:
		write_mem(m, insn->k, m->a);
		return true;
	case BPF_STX:
		write_mem(m, insn->k, m->x);
		return true;
	case BPF_MISC | BPF_TAX:
		m->x = m->a;
		return true;
	case BPF_MISC | BPF_TXA:
		m->a = m->x;
		return true;
	default:
		return false;
	}
}

int sh_bpf_run(const struct sh_bpf *filter, const struct seccomp_data *data,
	       uint32_t *ret_action)
{
	const struct sock_filter *insns = filter->insns;
	struct bpf_machine m = { 0 };
	unsigned int pc = 0;
	int r;

	r = validate(filter);
	if (r < 0)
		return r;

	/* validate() guarantees a final return, checked here once more */
	while (pc < filter->len) {
		const struct sock_filter *insn = &insns[pc++];

		switch (BPF_CLASS(insn->code)) {
		case BPF_RET:
			*ret_action = BPF_RVAL(insn->code) == BPF_A ? m.a :
								     insn->k;
			return 0;
		case BPF_ALU:
			if (!run_alu(&m, insn)) {
				*ret_action = 0;
				return 0;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(insn->code) == BPF_JA)
				pc += insn->k;
			else
				pc += jump_taken(&m, insn) ? insn->jt :
							      insn->jf;
			break;
		default:
			if (!run_move(&m, data, insn))
				return -EINVAL;
			break;
		}
	}
	return -EINVAL;
}

/* ------------------------------------------------------------------------ */
/* Several filters */

/*
 * The kernel compares the action parts of the return values as signed
 * 32-bit numbers and keeps the lowest: KILL_PROCESS (0x80000000) is below
 * KILL_THREAD (0), which is below TRAP, ERRNO, USER_NOTIF, TRACE, LOG and
 * ALLOW, in that order.
 */
static int32_t action_precedence(uint32_t action)
{
	return (int32_t)(action & SECCOMP_RET_ACTION_FULL);
}

int sh_plan_verdict(const struct sh_plan *plan,
		    const struct seccomp_data *data, uint32_t *ret_action)
{
	const unsigned int filters_max =
		sizeof(plan->filters) / sizeof(plan->filters[0]);
	uint32_t verdict = SECCOMP_RET_ALLOW;
	unsigned int i;

	if (plan->nfilters > filters_max)
		return -EINVAL;

	/*
	 * The kernel starts at the filter installed last and replaces the
	 * result only with a strictly stricter one, so among equally strict
	 * actions (ERRNO with different errnos) the last filter's wins.
	 */
	for (i = plan->nfilters; i-- > 0;) {
		uint32_t action;
		int r = sh_bpf_run(&plan->filters[i], data, &action);

		if (r < 0)
			return r;
		if (action_precedence(action) < action_precedence(verdict))
			verdict = action;
	}

	*ret_action = verdict;
	return 0;
}
