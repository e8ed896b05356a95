/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Classic BPF written without libseccomp: the fallback filter that gives
 * the profile's default action to calls which no conditional allow
 * matches, the merge of a filter's layers into one program, and the
 * instruction buffer both write into.  Internal to the library.
 */
#ifndef SECHARD_BPF_H
#define SECHARD_BPF_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sechard.h"

/* Instructions being written, in an array of BPF_MAXINSNS entries. */
struct sh_bpf_buffer {
	struct sock_filter *insns;
	unsigned int len;
	bool too_long;	/* an instruction did not fit */
};

/* Append one instruction to BUF, or set BUF->too_long when it is full. */
void sh_bpf_emit(struct sh_bpf_buffer *buf, uint16_t code, uint8_t jt,
		 uint8_t jf, uint32_t k);

/* A syscall that only conditional allow rules decide. */
struct sh_bpf_call {
	int nr;			/* native number */
	const char *name;	/* matched against sh_rule.syscall */
};

/*
 * Compile the fallback filter: a call of one of CALLS is allowed when all
 * conditions of any allow rule of POLICY for that syscall hold, and gets
 * DEFAULT_ACTION otherwise.  Every other native call is allowed.  A call
 * through an architecture that POLICY does not filter (x32 included) gets
 * BADARCH_ACTION, and one through a secondary architecture is allowed.
 * Conditions compare all 64 bits, as libseccomp does for allow rules.
 * Returns 0 with RET->insns to free(), or -ENOMEM, -E2BIG.
 */
int sh_bpf_build_fallback(const struct sh_seccomp_policy *policy,
			  const struct sh_bpf_call *calls, size_t ncalls,
			  uint32_t default_action, uint32_t badarch_action,
			  struct sh_bpf *ret, struct sh_error *err);

/*
 * Merge NLAYERS programs (2 to SH_FILTERS_MAX), in load order, into one
 * program with the verdicts the kernel gives when it runs them as separate
 * filters.  Returns 0 with RET->insns to free(), -EOPNOTSUPP when a layer
 * uses scratch memory, returns a register or is not a valid filter, -E2BIG
 * when the result would exceed BPF_MAXINSNS, -EINVAL or -ENOMEM.
 */
int sh_bpf_merge(const struct sh_bpf *layers, unsigned int nlayers,
		 struct sh_bpf *ret);

#endif /* SECHARD_BPF_H */
