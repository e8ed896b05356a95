// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Merge the layers of a profile's seccomp filter into one BPF program.
 *
 * A profile compiles into up to three layers (filter.c): libseccomp's
 * filter, the fallback filter for conditional allows (bpf.c) and the
 * conditional denies.  Loaded as separate filters, each costs an indirect
 * call into its program on every syscall whose verdict depends on its
 * arguments, which is most of what the layers add to a call.  One program
 * that runs the layers one after the other costs a single call and gives
 * the same verdicts.
 *
 * The kernel keeps the strictest result of all filters and, between equally
 * strict ones, the result of the filter loaded last.  The merged program
 * keeps the strictest result so far in scratch memory and replaces it the
 * same way: each return of a layer becomes a jump to a stub that updates
 * the result and goes on with the next layer.  An ALLOW changes nothing,
 * so it jumps straight to the next layer.
 *
 * Two rules of the kernel shape the layout.  At load time the kernel
 * emulates the program for each syscall number, knowing only the number
 * and the architecture, and marks in a bitmap the numbers that reach
 * "return ALLOW".  Those calls then run no filter at all.  The emulation
 * gives up at the first instruction that touches scratch memory.  So every
 * layer after the first has two copies.  The clean one is reached while
 * all earlier layers allowed, with nothing in scratch memory, and the
 * dirty one with a result stored.  The kernel also rejects a program
 * that might read a scratch word before writing it.  It judges each
 * instruction by every jump to it and by the instruction before it, even a
 * return.  So dirty copies come only after sections that end in a jump,
 * and the last clean copy, which keeps its own returns, comes last:
 *
 *   layer 0 + stubs
 *   clean 1 + stubs, dirty 1 + stubs, ... clean n-2 + stubs, dirty n-2 + stubs
 *   dirty n-1 + final stubs
 *   clean n-1, unchanged
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdlib.h>

#include "bpf.h"

/* Scratch words of the merged program. */
#define SLOT_RESULT 0	/* the strictest return value so far */
#define SLOT_RANK 1	/* its rank, see rank_of() */

enum copy {
	COPY_FIRST,	/* layer 0: nothing ran before it */
	COPY_CLEAN,	/* every earlier layer allowed */
	COPY_DIRTY,	/* a result is stored in scratch memory */
};

/* A jump to a section that is not placed yet. */
struct section_jump {
	unsigned int insn;
	unsigned int layer;
	enum copy copy;
};

struct merge {
	const struct sh_bpf *layers;
	unsigned int nlayers;

	struct sh_bpf_buffer out;

	struct section_jump *jumps;	/* BPF_MAXINSNS entries */
	unsigned int njumps;
	unsigned int clean_start[SH_FILTERS_MAX];
	unsigned int dirty_start[SH_FILTERS_MAX];

	uint32_t *returns;	/* distinct return values of one layer */
	unsigned int *stubs;	/* where the stub of returns[i] starts */
	unsigned int nreturns;
};

/*
 * The kernel compares the action parts of two results as signed numbers,
 * the lower being stricter.  With the sign bit flipped, the unsigned
 * comparisons of classic BPF keep that order.
 */
static uint32_t rank_of(uint32_t result)
{
	return (result & SECCOMP_RET_ACTION_FULL) ^ 0x80000000U;
}

static bool is_allow(uint32_t result)
{
	return (result & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW;
}

static bool uses_scratch(uint16_t code)
{
	return code == BPF_ST || code == BPF_STX ||
	       code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM);
}

static bool uses_x(uint16_t code)
{
	switch (BPF_CLASS(code)) {
	case BPF_LDX:
	case BPF_STX:
	case BPF_MISC:
		return true;
	case BPF_ALU:
	case BPF_JMP:
		return BPF_SRC(code) == BPF_X && BPF_OP(code) != BPF_JA;
	case BPF_RET:
		return BPF_RVAL(code) == BPF_X;
	default:
		return false;
	}
}

/* Whether the jump at PC of a layer of LEN instructions stays inside it. */
static bool jump_inside(const struct sock_filter *insn, unsigned int pc,
			unsigned int len)
{
	unsigned int remaining = len - pc - 1;

	if (BPF_OP(insn->code) == BPF_JA)
		return insn->k < remaining;
	return insn->jt < remaining && insn->jf < remaining;
}

/*
 * A layer can be merged when it leaves scratch memory alone and returns
 * constants only, so that every return can be turned into a stub.  Its
 * jumps must stay inside it and it must end in a return, as the kernel
 * demands of a filter, because a copy is followed by other code.  A filter
 * starts with both registers at 0, but a copy starts with what the code
 * before it left there, so a layer must load A first and leave X alone.
 */
static bool layer_mergeable(const struct sh_bpf *layer)
{
	const struct sock_filter *insns = layer->insns;
	unsigned int pc;

	if (!layer->len || !insns)
		return false;
	if (BPF_CLASS(insns[0].code) != BPF_LD ||
	    BPF_CLASS(insns[layer->len - 1].code) != BPF_RET)
		return false;

	for (pc = 0; pc < layer->len; pc++) {
		uint16_t code = insns[pc].code;

		if (uses_scratch(code) || uses_x(code))
			return false;
		if (BPF_CLASS(code) == BPF_RET && BPF_RVAL(code) != BPF_K)
			return false;
		if (BPF_CLASS(code) == BPF_JMP &&
		    !jump_inside(&insns[pc], pc, layer->len))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------------ */
/* Emitting */

static void emit(struct merge *m, uint16_t code, uint8_t jt, uint8_t jf,
		 uint32_t k)
{
	sh_bpf_emit(&m->out, code, jt, jf, k);
}

/* Emit a jump to the start of LAYER's COPY, patched once it is placed. */
static void emit_section_jump(struct merge *m, unsigned int layer,
			      enum copy copy)
{
	struct section_jump jump = { m->out.len, layer, copy };

	emit(m, BPF_JMP | BPF_JA, 0, 0, 0);
	if (!m->out.too_long)
		m->jumps[m->njumps++] = jump;
}

static void emit_store_result(struct merge *m, uint32_t result)
{
	emit(m, BPF_LD | BPF_IMM, 0, 0, result);
	emit(m, BPF_ST, 0, 0, SLOT_RESULT);
	emit(m, BPF_LD | BPF_IMM, 0, 0, rank_of(result));
	emit(m, BPF_ST, 0, 0, SLOT_RANK);
}

static void emit_return_stored(struct merge *m)
{
	emit(m, BPF_LD | BPF_MEM, 0, 0, SLOT_RESULT);
	emit(m, BPF_RET | BPF_A, 0, 0, 0);
}

/*
 * Emit the stub of RESULT in a copy of layer LAYER.  An ALLOW that goes
 * straight on has none.  Layers loaded later win between equally strict
 * results, so a result replaces the stored one when its rank is lower or
 * equal.
 */
static void emit_stub(struct merge *m, unsigned int layer, enum copy copy,
		      uint32_t result)
{
	bool last = layer + 1 == m->nlayers;

	if (copy != COPY_DIRTY) {
		/* emit_last_clean() copies the last layer without stubs */
		emit_store_result(m, result);
		emit_section_jump(m, layer + 1, COPY_DIRTY);
	} else if (is_allow(result)) {
		/* only the last layer's dirty copy has an ALLOW stub */
		emit_return_stored(m);
	} else if (last) {
		emit(m, BPF_LD | BPF_MEM, 0, 0, SLOT_RANK);
		emit(m, BPF_JMP | BPF_JGE | BPF_K, 0, 1, rank_of(result));
		emit(m, BPF_RET | BPF_K, 0, 0, result);
		emit_return_stored(m);
	} else {
		emit(m, BPF_LD | BPF_MEM, 0, 0, SLOT_RANK);
		emit(m, BPF_JMP | BPF_JGE | BPF_K, 0, 4, rank_of(result));
		emit_store_result(m, result);
		emit_section_jump(m, layer + 1, COPY_DIRTY);
	}
}

/*
 * Whether a return of RESULT in this copy of LAYER needs no stub: an ALLOW
 * changes nothing stored, so it jumps straight to the next layer, unless
 * the dirty copy of the last layer must return what is stored.
 */
static bool goes_straight_on(const struct merge *m, unsigned int layer,
			     enum copy copy, uint32_t result)
{
	bool last = layer + 1 == m->nlayers;

	return is_allow(result) && !(copy == COPY_DIRTY && last);
}

static unsigned int return_index(struct merge *m, uint32_t result)
{
	unsigned int i;

	for (i = 0; i < m->nreturns; i++) {
		if (m->returns[i] == result)
			return i;
	}
	m->returns[m->nreturns] = result;
	return m->nreturns++;
}

/*
 * Copy layer LAYER with each return turned into a jump to its stub, one
 * instruction for one so that the layer's own jumps keep their targets,
 * and append the stubs.
 */
static void emit_copy(struct merge *m, unsigned int layer, enum copy copy)
{
	const struct sh_bpf *src = &m->layers[layer];
	const struct sock_filter *insns = src->insns;
	unsigned int start = m->out.len, pc, i;

	if (copy == COPY_CLEAN)
		m->clean_start[layer] = start;
	else
		m->dirty_start[layer] = start;

	m->nreturns = 0;
	for (pc = 0; pc < src->len; pc++) {
		struct sock_filter insn = insns[pc];

		if (BPF_CLASS(insn.code) == BPF_RET &&
		    goes_straight_on(m, layer, copy, insn.k)) {
			emit_section_jump(m, layer + 1, copy == COPY_DIRTY ?
							COPY_DIRTY : COPY_CLEAN);
			continue;
		}
		if (BPF_CLASS(insn.code) == BPF_RET) {
			/* k is the stub's index until the stubs are placed */
			insn.code = BPF_JMP | BPF_JA;
			insn.k = return_index(m, insn.k);
		}
		emit(m, insn.code, insn.jt, insn.jf, insn.k);
	}

	for (i = 0; i < m->nreturns; i++) {
		m->stubs[i] = m->out.len;
		emit_stub(m, layer, copy, m->returns[i]);
	}
	if (m->out.too_long)
		return;

	for (pc = 0; pc < src->len; pc++) {
		struct sock_filter *insn = &m->out.insns[start + pc];

		if (BPF_CLASS(insns[pc].code) == BPF_RET &&
		    !goes_straight_on(m, layer, copy, insns[pc].k))
			insn->k = m->stubs[insn->k] - (start + pc) - 1;
	}
}

/* Append the last clean copy, whose returns are the program's own. */
static void emit_last_clean(struct merge *m)
{
	const struct sh_bpf *src = &m->layers[m->nlayers - 1];
	const struct sock_filter *insns = src->insns;
	unsigned int pc;

	m->clean_start[m->nlayers - 1] = m->out.len;
	for (pc = 0; pc < src->len; pc++)
		emit(m, insns[pc].code, insns[pc].jt, insns[pc].jf,
		     insns[pc].k);
}

static void patch_section_jumps(struct merge *m)
{
	unsigned int i;

	for (i = 0; i < m->njumps; i++) {
		const struct section_jump *jump = &m->jumps[i];
		unsigned int target = jump->copy == COPY_CLEAN ?
				      m->clean_start[jump->layer] :
				      m->dirty_start[jump->layer];

		m->out.insns[jump->insn].k = target - jump->insn - 1;
	}
}

static void emit_layout(struct merge *m)
{
	unsigned int last = m->nlayers - 1, layer;

	emit_copy(m, 0, COPY_FIRST);
	for (layer = 1; layer < last; layer++) {
		emit_copy(m, layer, COPY_CLEAN);
		emit_copy(m, layer, COPY_DIRTY);
	}
	emit_copy(m, last, COPY_DIRTY);
	emit_last_clean(m);

	if (!m->out.too_long)
		patch_section_jumps(m);
}

/* ------------------------------------------------------------------------ */

int sh_bpf_merge(const struct sh_bpf *layers, unsigned int nlayers,
		 struct sh_bpf *ret)
{
	struct merge m = { .layers = layers, .nlayers = nlayers };
	unsigned int i;
	int r;

	ret->len = 0;
	ret->insns = NULL;
	if (nlayers < 2 || nlayers > SH_FILTERS_MAX)
		return -EINVAL;
	for (i = 0; i < nlayers; i++) {
		if (!layer_mergeable(&layers[i]))
			return -EOPNOTSUPP;
	}

	m.out.insns = calloc(BPF_MAXINSNS, sizeof(*m.out.insns));
	m.jumps = calloc(BPF_MAXINSNS, sizeof(*m.jumps));
	m.returns = calloc(BPF_MAXINSNS, sizeof(*m.returns));
	m.stubs = calloc(BPF_MAXINSNS, sizeof(*m.stubs));
	if (!m.out.insns || !m.jumps || !m.returns || !m.stubs) {
		r = -ENOMEM;
		goto out;
	}

	emit_layout(&m);
	if (m.out.too_long) {
		r = -E2BIG;
		goto out;
	}

	ret->len = (unsigned short)m.out.len;
	ret->insns = m.out.insns;
	m.out.insns = NULL;
	r = 0;
out:
	free(m.out.insns);
	free(m.jumps);
	free(m.returns);
	free(m.stubs);
	return r;
}
