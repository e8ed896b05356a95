// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz target for sh_bpf_merge().  Each input describes two or three small
 * layers that the kernel would accept as filters and that load A first,
 * as libseccomp's and the fallback layer do: loads of the call's fields,
 * forward jumps, AND and constant returns.  The merged program
 * must pass the interpreter's load checks and give every sampled call the
 * verdict that the layers give as separate filters.  A difference aborts.
 * Seeds: tests/fuzz/corpus/merge/.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "sechard.h"

/* Instructions per layer, at most; the merge itself is what is tested. */
#define LAYER_LEN_MAX 24
/* Calls sampled per input. */
#define SAMPLES 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input, read one byte at a time; zeros once it is used up. */
struct input {
	const uint8_t *data;
	size_t size;
};

static const uint32_t results[] = {
	SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD,
	SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO | 1, SECCOMP_RET_ERRNO | 13,
	SECCOMP_RET_ERRNO | 38, SECCOMP_RET_TRACE, SECCOMP_RET_LOG,
	SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW,
};

/* Values for comparisons and for the sampled calls alike. */
static const uint32_t values[] = {
	0, 1, 2, 16, 0x5412, 0x10000000, 0x40000000, 0x40000001,
	0x7fffffff, 0x80000000, 0xffffffff, AUDIT_ARCH_X86_64,
	AUDIT_ARCH_I386,
};

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static uint8_t next_byte(struct input *in)
{
	uint8_t byte = 0;

	if (in->size) {
		byte = *in->data++;
		in->size--;
	}
	return byte;
}

/* Offsets a layer may load: nr, arch and each word of each argument. */
static uint32_t load_offset(uint8_t choice)
{
	unsigned int word = choice % 14;

	if (word == 0)
		return offsetof(struct seccomp_data, nr);
	if (word == 1)
		return offsetof(struct seccomp_data, arch);
	return offsetof(struct seccomp_data, args) + (word - 2) * 4;
}

static struct sock_filter make_insn(struct input *in, unsigned int pc,
				    unsigned int len)
{
	unsigned int remaining = len - pc - 1;
	static const uint16_t jumps[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET };
	uint8_t kind = next_byte(in), choice = next_byte(in);
	uint8_t true_byte = next_byte(in), false_byte = next_byte(in);
	struct sock_filter insn = { 0 };

	if (pc == 0) {
		insn.code = BPF_LD | BPF_W | BPF_ABS;
		insn.k = load_offset(choice);
		return insn;
	}
	if (remaining == 0 || kind % 6 == 5) {
		insn.code = BPF_RET | BPF_K;
		insn.k = results[choice % COUNT(results)];
		return insn;
	}

	switch (kind % 6) {
	case 0:
	case 1:
		insn.code = BPF_LD | BPF_W | BPF_ABS;
		insn.k = load_offset(choice);
		break;
	case 2:
	case 3:
		insn.code = BPF_JMP | jumps[choice % COUNT(jumps)] | BPF_K;
		insn.k = values[(choice >> 2) % COUNT(values)];
		insn.jt = (uint8_t)(true_byte % remaining);
		insn.jf = (uint8_t)(false_byte % remaining);
		break;
	default:
		if (choice & 1) {
			insn.code = BPF_JMP | BPF_JA;
			insn.k = true_byte % remaining;
		} else {
			insn.code = BPF_ALU | BPF_AND | BPF_K;
			insn.k = values[true_byte % COUNT(values)];
		}
		break;
	}
	return insn;
}

static void make_sample(struct input *in, struct seccomp_data *call)
{
	unsigned int i;

	memset(call, 0, sizeof(*call));
	call->nr = (int)values[next_byte(in) % COUNT(values)];
	call->arch = values[next_byte(in) % COUNT(values)];
	for (i = 0; i < 6; i++)
		call->args[i] = (uint64_t)values[next_byte(in) % COUNT(values)]
					<< (next_byte(in) & 1 ? 32 : 0) |
				values[next_byte(in) % COUNT(values)];
}

static uint32_t verdict_of(const struct sh_bpf *programs, unsigned int count,
			   const struct seccomp_data *call)
{
	struct sh_plan plan;
	uint32_t action = 0;
	unsigned int i;

	memset(&plan, 0, sizeof(plan));
	plan.nfilters = count;
	for (i = 0; i < count; i++)
		plan.filters[i] = programs[i];
	if (sh_plan_verdict(&plan, call, &action) < 0)
		abort();
	return action;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_filter insns[SH_FILTERS_MAX][LAYER_LEN_MAX];
	struct sh_bpf layers[SH_FILTERS_MAX], merged;
	struct input in = { data, size };
	struct seccomp_data call;
	unsigned int nlayers, i, pc;

	nlayers = 2 + next_byte(&in) % 2;
	for (i = 0; i < nlayers; i++) {
		unsigned int len = 2 + next_byte(&in) % (LAYER_LEN_MAX - 1);

		for (pc = 0; pc < len; pc++)
			insns[i][pc] = make_insn(&in, pc, len);
		layers[i].len = (unsigned short)len;
		layers[i].insns = insns[i];
	}

	if (sh_bpf_merge(layers, nlayers, &merged) < 0)
		abort();

	for (i = 0; i < SAMPLES; i++) {
		make_sample(&in, &call);
		if (verdict_of(&merged, 1, &call) !=
		    verdict_of(layers, nlayers, &call))
			abort();
	}
	free(merged.insns);
	return 0;
}
