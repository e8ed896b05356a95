// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Compile a seccomp policy into libseccomp contexts.
 *
 * An allow-list compiles into up to two filters.  The first has the default
 * action ERRNO(ENOSYS), so that libc falls back from syscalls newer than the
 * installed libseccomp, and gives the profile's default action to every
 * syscall libseccomp can name that no rule allows.  The second, created only
 * when needed, has the default action ALLOW and contains the conditional
 * denies.  The kernel runs both and the strictest result wins, so a
 * conditional deny is never lost to an unconditional allow of the same
 * syscall, which libseccomp would otherwise merge away.
 *
 * A syscall that only conditional allows decide keeps them in the first
 * filter, but a call that none of them matches gets that filter's default,
 * ENOSYS.  The fallback filter (bpf.c), loaded between the two, gives such a
 * call the profile's default action instead.
 *
 * A deny-list compiles into one filter with the default action ALLOW, plus a
 * second one only for a conditional deny that is stricter than an
 * unconditional deny of the same syscall.
 *
 * These filters are layers: sh_filter_compile() merges them into the one
 * program the kernel runs (stack.c), which keeps the kernel's rule for
 * combining filters.  Only when the merged program would be too long are
 * they loaded as separate filters, "stacked", and then every filter but
 * the last must allow seccomp(2) so that the next one can be loaded.
 */
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sechard.h"
#include "bpf.h"
#include "groups.h"

/* Syscall numbers scanned for names on each architecture. */
#define SH_SYSCALL_NR_MAX 1023
/* x32 syscall numbers carry this bit (the kernel's __X32_SYSCALL_BIT). */
#define SH_X32_SYSCALL_BIT 0x40000000
#define SH_LOW32_MASK 0xffffffffULL

/* Rules the policy gives one syscall name. */
struct syscall_state {
	char name[64];
	int nr;			/* native number, negative if not native */
	bool in_allowance;
	bool allow_uncond;
	/* allowed by a single "argN != value" on a 32-bit argument */
	bool allow_ne;
	unsigned int ncond_allow;	/* conditional allow rules */
	bool deny_uncond;
	uint32_t deny_action;	/* libseccomp action of deny_uncond */
	const struct sh_rule *deny_rule;	/* where deny_action came from */
};

struct build {
	const struct sh_seccomp_policy *policy;
	struct sh_error *err;
	uint32_t default_action;	/* denied by default or by a bare deny */
	int default_errno;
	bool stacked;	/* layers loaded as separate filters */

	size_t nstates;
	size_t states_size;
	struct syscall_state *states;

	scmp_filter_ctx ctx[2];
	uint32_t ctx_default[2];	/* default action of each context */
};

/* ------------------------------------------------------------------------ */
/* Actions */

int sh_action_rank(uint32_t action)
{
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SCMP_ACT_KILL_PROCESS:
		return 6;
	case SCMP_ACT_KILL_THREAD:
		return 5;
	case SCMP_ACT_TRAP:
		return 4;
	case SCMP_ACT_ERRNO(0):
		return 3;
	case SCMP_ACT_LOG:
		return 1;
	default:
		return 0;
	}
}

static uint32_t action_to_scmp(const struct build *b,
			       const struct sh_action *action)
{
	if (b->policy->complain)
		return SCMP_ACT_LOG;

	switch (action->kind) {
	case SH_ACT_ERRNO:
		/* no errno written: whatever the profile's default is */
		if (!action->errno_value)
			return b->default_action;
		return SCMP_ACT_ERRNO((uint32_t)action->errno_value);
	case SH_ACT_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case SH_ACT_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case SH_ACT_LOG:
		return SCMP_ACT_LOG;
	case SH_ACT_TRAP:
		return SCMP_ACT_TRAP;
	case SH_ACT_ALLOW:
	default:
		return SCMP_ACT_ALLOW;
	}
}

void sh_action_describe(uint32_t action, char *buf, size_t size)
{
	const char *name;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SCMP_ACT_ERRNO(0):
		name = sh_errno_name((int)(action & SECCOMP_RET_DATA));
		if (name)
			snprintf(buf, size, "%s", name);
		else
			snprintf(buf, size, "errno %u",
				 action & SECCOMP_RET_DATA);
		return;
	case SCMP_ACT_KILL_PROCESS:
		name = "kill";
		break;
	case SCMP_ACT_KILL_THREAD:
		name = "kill-thread";
		break;
	case SCMP_ACT_TRAP:
		name = "trap";
		break;
	case SCMP_ACT_LOG:
		name = "log";
		break;
	case SCMP_ACT_ALLOW:
		name = "allow";
		break;
	default:
		snprintf(buf, size, "action 0x%08x", action);
		return;
	}
	snprintf(buf, size, "%s", name);
}

static int set_default_action(struct build *b)
{
	const struct sh_seccomp_policy *policy = b->policy;
	const struct sh_action *action = &policy->default_action;

	b->default_errno = policy->default_errno ? policy->default_errno :
			   action->errno_value ? action->errno_value : EPERM;
	if (b->default_errno < 1 || b->default_errno > SH_ERRNO_MAX)
		return sh_error_set(b->err, EINVAL, NULL, 0, NULL,
				    "invalid default errno %d",
				    b->default_errno);

	if (action->kind == SH_ACT_ALLOW)
		return sh_error_set(b->err, EINVAL, NULL, 0, NULL,
				    "the default seccomp action cannot be allow");

	if (policy->complain) {
		b->default_action = SCMP_ACT_LOG;
	} else if (action->kind == SH_ACT_ERRNO) {
		b->default_action = SCMP_ACT_ERRNO((uint32_t)b->default_errno);
	} else {
		b->default_action = action_to_scmp(b, action);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Syscall states */

static struct syscall_state *find_state(struct build *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nstates; i++) {
		if (strcmp(b->states[i].name, name) == 0)
			return &b->states[i];
	}
	return NULL;
}

/* Find or add the state of NAME; NULL when out of memory. */
static struct syscall_state *get_state(struct build *b, const char *name,
				       int nr)
{
	struct syscall_state *state = find_state(b, name);

	if (state)
		return state;

	if (b->nstates == b->states_size) {
		size_t size = b->states_size ? b->states_size * 2 : 512;
		struct syscall_state *states;

		states = realloc(b->states, size * sizeof(*states));
		if (!states)
			return NULL;
		b->states = states;
		b->states_size = size;
	}

	state = &b->states[b->nstates++];
	memset(state, 0, sizeof(*state));
	snprintf(state->name, sizeof(state->name), "%s", name);
	state->nr = nr;
	return state;
}

static bool rule_is_allow_ne(const struct sh_rule *rule)
{
	return rule->allow && rule->ncond == 1 &&
	       rule->cond[0].op == SCMP_CMP_NE && rule->cond[0].low32;
}

static int check_rule(struct build *b, const struct sh_rule *rule)
{
	char reason[400];
	unsigned int i;

	if (rule->ncond > SH_RULE_CONDS_MAX)
		return sh_error_set(b->err, EINVAL, rule->file, rule->line,
				    rule->syscall, "too many conditions");

	for (i = 0; i < rule->ncond; i++) {
		const struct sh_cond *cond = &rule->cond[i];

		if (cond->arg > 5 || cond->op <= _SCMP_CMP_MIN ||
		    cond->op >= _SCMP_CMP_MAX)
			return sh_error_set(b->err, EINVAL, rule->file,
					    rule->line, rule->syscall,
					    "invalid condition on argument %u",
					    cond->arg);
	}

	if (sh_rule_check_width(rule, reason, sizeof(reason)) < 0)
		return sh_error_set(b->err, EINVAL, rule->file, rule->line,
				    rule->syscall, "%s", reason);

	return 0;
}

/* Merge one more unconditional deny of the same syscall. */
static int merge_deny(struct build *b, struct syscall_state *state,
		      const struct sh_rule *rule)
{
	uint32_t action = action_to_scmp(b, &rule->action);
	char first[32];
	char second[32];

	if (!state->deny_uncond || state->deny_action == action) {
		state->deny_uncond = true;
		state->deny_action = action;
		state->deny_rule = rule;
		return 0;
	}

	if (sh_action_rank(action) != sh_action_rank(state->deny_action)) {
		/* kill beats trap beats errno beats log, as in the kernel */
		if (sh_action_rank(action) > sh_action_rank(state->deny_action)) {
			state->deny_action = action;
			state->deny_rule = rule;
		}
		return 0;
	}

	sh_action_describe(state->deny_action, first, sizeof(first));
	sh_action_describe(action, second, sizeof(second));
	return sh_error_set(b->err, EINVAL, rule->file, rule->line,
			    rule->syscall,
			    "%s is denied with %s here and with %s at %s:%u; give both entries the same action",
			    rule->syscall, second, first,
			    state->deny_rule->file ? state->deny_rule->file :
						     "(no file)",
			    state->deny_rule->line);
}

static int record_rule(struct build *b, const struct sh_rule *rule)
{
	int nr = seccomp_syscall_resolve_name(rule->syscall);
	struct syscall_state *state;
	int r;

	if (nr == __NR_SCMP_ERROR)
		return sh_error_set(b->err, EINVAL, rule->file, rule->line,
				    rule->syscall, "unknown syscall \"%s\"",
				    rule->syscall);

	r = check_rule(b, rule);
	if (r < 0)
		return r;

	state = get_state(b, rule->syscall, nr);
	if (!state)
		return sh_error_set(b->err, ENOMEM, NULL, 0, NULL,
				    "out of memory");

	if (rule->allow && !rule->ncond)
		state->allow_uncond = true;
	else if (rule_is_allow_ne(rule))
		state->allow_ne = true;
	else if (rule->allow)
		state->ncond_allow++;
	else if (!rule->ncond)
		return merge_deny(b, state, rule);

	if (state->allow_ne && state->ncond_allow)
		return sh_error_set(b->err, EINVAL, rule->file, rule->line,
				    rule->syscall,
				    "%s has an allow with \"!=\" on a 32-bit argument and other conditional allows; merge them into one rule or write the exception as a deny",
				    rule->syscall);
	return 0;
}

static int record_allowance(struct build *b, const char *const *allowance)
{
	for (; allowance && *allowance; allowance++) {
		int nr = seccomp_syscall_resolve_name(*allowance);
		struct syscall_state *state;

		if (nr == __NR_SCMP_ERROR)
			return sh_error_set(b->err, EINVAL, NULL, 0,
					    *allowance,
					    "unknown syscall \"%s\" in the enforcement allowance",
					    *allowance);

		state = get_state(b, *allowance, nr);
		if (!state)
			return sh_error_set(b->err, ENOMEM, NULL, 0, NULL,
					    "out of memory");
		state->in_allowance = true;
	}
	return 0;
}

/* Add every syscall libseccomp can name on ARCH to the states. */
static int record_arch_syscalls(struct build *b, uint32_t arch)
{
	int base = arch == SCMP_ARCH_X32 ? SH_X32_SYSCALL_BIT : 0;
	int nr;

	for (nr = 0; nr <= SH_SYSCALL_NR_MAX; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(arch, base + nr);
		struct syscall_state *state;

		if (!name)
			continue;

		state = get_state(b, name, seccomp_syscall_resolve_name(name));
		free(name);
		if (!state)
			return sh_error_set(b->err, ENOMEM, NULL, 0, NULL,
					    "out of memory");
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* libseccomp contexts */

static int set_attr(struct build *b, scmp_filter_ctx ctx,
		    enum scmp_filter_attr attr, uint32_t value,
		    const char *attr_name)
{
	int r = seccomp_attr_set(ctx, attr, value);

	if (r < 0)
		return sh_error_set(b->err, -r, NULL, 0, NULL,
				    "seccomp_attr_set(%s) failed: %s",
				    attr_name, strerror(-r));
	return 0;
}

static int add_arches(struct build *b, scmp_filter_ctx ctx)
{
	unsigned int i;

	if (b->policy->narch > sizeof(b->policy->arch) /
			       sizeof(b->policy->arch[0]))
		return sh_error_set(b->err, EINVAL, NULL, 0, NULL,
				    "too many secondary architectures");

	for (i = 0; i < b->policy->narch; i++) {
		int r = seccomp_arch_add(ctx, b->policy->arch[i]);

		if (r == -EEXIST)
			continue;
		if (r < 0)
			return sh_error_set(b->err, -r, NULL, 0, NULL,
					    "seccomp_arch_add(0x%x) failed: %s",
					    b->policy->arch[i], strerror(-r));
	}
	return 0;
}

static int new_context(struct build *b, uint32_t default_action,
		       scmp_filter_ctx *ret)
{
	scmp_filter_ctx ctx = seccomp_init(default_action);
	int r;

	if (!ctx)
		return sh_error_set(b->err, ENOMEM, NULL, 0, NULL,
				    "seccomp_init failed");

	/*
	 * A call through another entry point (int 0x80, x32) fails rather
	 * than passing unfiltered.  Even in complain mode it fails, because
	 * logging it would let it through.
	 */
	r = set_attr(b, ctx, SCMP_FLTATR_ACT_BADARCH,
		     SCMP_ACT_ERRNO((uint32_t)b->default_errno),
		     "SCMP_FLTATR_ACT_BADARCH");
	/* the caller sets no_new_privs itself, before loading */
	if (r == 0)
		r = set_attr(b, ctx, SCMP_FLTATR_CTL_NNP, 0,
			     "SCMP_FLTATR_CTL_NNP");
	if (r == 0)
		r = set_attr(b, ctx, SCMP_FLTATR_API_SYSRAWRC, 1,
			     "SCMP_FLTATR_API_SYSRAWRC");
	if (r == 0)
		r = add_arches(b, ctx);
	if (r < 0) {
		seccomp_release(ctx);
		return r;
	}

	/* a binary tree keeps long allow-lists fast; optional in libseccomp */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);

	*ret = ctx;
	return 0;
}

static int add_to_context(struct build *b, scmp_filter_ctx ctx,
			  uint32_t action, const char *syscall,
			  unsigned int ncmp, const struct scmp_arg_cmp *cmp,
			  const struct sh_rule *rule)
{
	int nr = seccomp_syscall_resolve_name(syscall);
	unsigned int index = ctx == b->ctx[0] ? 0 : 1;
	int r;

	/* libseccomp rejects a rule that repeats the default action */
	if (action == b->ctx_default[index])
		return 0;

	r = seccomp_rule_add_array(ctx, action, nr, ncmp, cmp);
	if (r < 0)
		return sh_error_set(b->err, -r, rule ? rule->file : NULL,
				    rule ? rule->line : 0, syscall,
				    "seccomp_rule_add failed for %s: %s",
				    syscall, strerror(-r));
	return 0;
}

/*
 * Turn the conditions of RULE into libseccomp comparisons.  A deny of a
 * 32-bit argument compares the low 32 bits only, as sh_rule_check_width()
 * in rule.c explains, so a caller cannot skip it by setting the high bits.
 */
static void conds_to_cmp(const struct sh_rule *rule,
			 struct scmp_arg_cmp cmp[SH_RULE_CONDS_MAX])
{
	unsigned int i;

	for (i = 0; i < rule->ncond; i++) {
		const struct sh_cond *cond = &rule->cond[i];

		cmp[i].arg = cond->arg;
		cmp[i].op = cond->op;
		cmp[i].datum_a = cond->value;
		cmp[i].datum_b = cond->value_two;

		if (rule->allow || !cond->low32)
			continue;

		if (cond->op == SCMP_CMP_EQ) {
			cmp[i].op = SCMP_CMP_MASKED_EQ;
			cmp[i].datum_a = SH_LOW32_MASK;
			cmp[i].datum_b = cond->value & SH_LOW32_MASK;
		} else if (cond->op == SCMP_CMP_MASKED_EQ) {
			cmp[i].datum_a &= SH_LOW32_MASK;
			cmp[i].datum_b &= SH_LOW32_MASK;
		}
	}
}

static int add_rule(struct build *b, scmp_filter_ctx ctx, uint32_t action,
		    const struct sh_rule *rule)
{
	struct scmp_arg_cmp cmp[SH_RULE_CONDS_MAX];

	conds_to_cmp(rule, cmp);
	return add_to_context(b, ctx, action, rule->syscall, rule->ncond, cmp,
			      rule);
}

static int get_second_context(struct build *b, scmp_filter_ctx *ret)
{
	int r;

	if (!b->ctx[1]) {
		r = new_context(b, SCMP_ACT_ALLOW, &b->ctx[1]);
		if (r < 0)
			return r;
		b->ctx_default[1] = SCMP_ACT_ALLOW;
	}
	*ret = b->ctx[1];
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Allow-list */

/* True when only conditional allow rules decide STATE's syscall. */
static bool allowlist_uses_cond_allows(const struct syscall_state *state)
{
	return state->ncond_allow && !state->in_allowance &&
	       !state->deny_uncond && !state->allow_uncond && !state->allow_ne;
}

static uint32_t allowlist_action(const struct build *b,
				 const struct syscall_state *state)
{
	if (state->in_allowance)
		return SCMP_ACT_ALLOW;
	if (state->deny_uncond)
		return state->deny_action;
	if (state->allow_uncond || state->allow_ne)
		return SCMP_ACT_ALLOW;
	return b->default_action;
}

static int build_allowlist_first(struct build *b)
{
	const struct sh_seccomp_policy *policy = b->policy;
	size_t i;
	int r;

	for (i = 0; i < b->nstates; i++) {
		const struct syscall_state *state = &b->states[i];
		uint32_t action = allowlist_action(b, state);

		/*
		 * A call that none of the conditional allows matches gets
		 * this filter's default, ENOSYS, because libseccomp cannot
		 * express "else" for a set of conditions.  The fallback
		 * filter returns the profile's default action for it.  In
		 * complain mode that action is LOG, which ENOSYS would beat,
		 * so this filter allows the syscall and the fallback filter
		 * alone decides.
		 */
		if (allowlist_uses_cond_allows(state)) {
			if (!policy->complain)
				continue;
			action = SCMP_ACT_ALLOW;
		}

		r = add_to_context(b, b->ctx[0], action, state->name, 0, NULL,
				   state->deny_rule);
		if (r < 0)
			return r;
	}

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];
		const struct syscall_state *state = find_state(b, rule->syscall);

		if (!rule->allow || !rule->ncond || rule_is_allow_ne(rule))
			continue;
		if (!allowlist_uses_cond_allows(state) || policy->complain)
			continue;

		r = add_rule(b, b->ctx[0], SCMP_ACT_ALLOW, rule);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * The second filter: conditional denies with their actions, and the deny
 * that stands for a lone "argN != value" allow of a 32-bit argument.
 */
static int build_allowlist_second(struct build *b)
{
	const struct sh_seccomp_policy *policy = b->policy;
	scmp_filter_ctx ctx;
	size_t i;
	int r;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];
		const struct syscall_state *state = find_state(b, rule->syscall);
		struct sh_rule deny;

		if (!rule->ncond || (rule->allow && !rule_is_allow_ne(rule)))
			continue;

		if (!rule->allow) {
			r = get_second_context(b, &ctx);
			if (r == 0)
				r = add_rule(b, ctx,
					     action_to_scmp(b, &rule->action),
					     rule);
			if (r < 0)
				return r;
			continue;
		}

		/*
		 * An unconditional allow makes the "!=" moot, and so does an
		 * unconditional deny unless the allowance overrides it.
		 */
		if (state->allow_uncond ||
		    (state->deny_uncond && !state->in_allowance))
			continue;

		deny = *rule;
		deny.allow = false;
		deny.cond[0].op = SCMP_CMP_EQ;
		r = get_second_context(b, &ctx);
		if (r == 0)
			r = add_rule(b, ctx, b->default_action, &deny);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Stacked filters are loaded one by one, each while the earlier ones are in
 * force already, so they must allow seccomp(2) whenever another one
 * follows.  A merged program needs no such exception.
 */
static int allow_second_load(struct build *b)
{
	struct syscall_state *state;

	if (!b->stacked)
		return 0;
	state = get_state(b, "seccomp", seccomp_syscall_resolve_name("seccomp"));
	if (!state)
		return sh_error_set(b->err, ENOMEM, NULL, 0, NULL,
				    "out of memory");
	state->in_allowance = true;
	return 0;
}

static bool allowlist_needs_second(const struct build *b)
{
	const struct sh_seccomp_policy *policy = b->policy;
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if ((!rule->allow && rule->ncond) || rule_is_allow_ne(rule))
			return true;
	}
	return false;
}

/*
 * True when STATE's syscall goes into the fallback filter.  In a deny-list
 * too, conditional allows restrict a syscall to the argument values they
 * name ("personality(arg0 == 0)"), and only the fallback filter can express
 * that.
 */
static bool needs_fallback(const struct build *b,
			   const struct syscall_state *state)
{
	return state->nr >= 0 && allowlist_uses_cond_allows(state);
}

static bool has_fallback(const struct build *b)
{
	size_t i;

	for (i = 0; i < b->nstates; i++) {
		if (needs_fallback(b, &b->states[i]))
			return true;
	}
	return false;
}

/*
 * Let the first filter load the ones after it.  This runs before any
 * filter is built, because allowing seccomp(2) can take it out of the
 * fallback filter (when only conditional allows decided it), and every
 * builder must see the same states.
 */
static int allowlist_prepare_later_filters(struct build *b)
{
	if (!allowlist_needs_second(b) && !has_fallback(b))
		return 0;
	return allow_second_load(b);
}

/*
 * Give the default action to numbers that libseccomp cannot name (holes in
 * the syscall table) below the highest native syscall the rules name.  runc
 * treats an OCI profile the same way, so only numbers above it stay ENOSYS.
 */
static int deny_unnamed_below_max(struct build *b)
{
	uint32_t native = seccomp_arch_native();
	int max_nr = -1, nr, r;
	size_t i;

	for (i = 0; i < b->policy->nrules; i++) {
		nr = seccomp_syscall_resolve_name(b->policy->rules[i].syscall);
		if (nr > max_nr)
			max_nr = nr;
	}
	if (b->default_action == b->ctx_default[0])
		return 0;

	for (nr = 0; nr < max_nr; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(native, nr);

		if (name) {
			free(name);
			continue;
		}
		r = seccomp_rule_add(b->ctx[0], b->default_action, nr, 0);
		if (r < 0)
			return sh_error_set(b->err, -r, NULL, 0, NULL,
					    "seccomp_rule_add failed for syscall number %d: %s",
					    nr, strerror(-r));
	}
	return 0;
}

static int build_allowlist(struct build *b)
{
	int r;

	if (allowlist_needs_second(b)) {
		r = get_second_context(b, &b->ctx[1]);
		if (r < 0)
			return r;
	}

	r = new_context(b, SCMP_ACT_ERRNO(ENOSYS), &b->ctx[0]);
	if (r < 0)
		return r;
	b->ctx_default[0] = SCMP_ACT_ERRNO(ENOSYS);

	r = build_allowlist_first(b);
	if (r == 0 && b->policy->unnamed_below_max_denied)
		r = deny_unnamed_below_max(b);
	if (r < 0)
		return r;

	return build_allowlist_second(b);
}

/* ------------------------------------------------------------------------ */
/* Deny-list */

static bool denylist_denies_all(const struct syscall_state *state)
{
	return state->deny_uncond && !state->in_allowance &&
	       !state->allow_uncond;
}

/*
 * True when RULE is a conditional deny stricter than its syscall's
 * unconditional deny, so that it needs the second filter.
 */
static bool denylist_needs_second(const struct build *b,
				  const struct sh_rule *rule,
				  const struct syscall_state *state)
{
	if (rule->allow || !rule->ncond || !denylist_denies_all(state))
		return false;

	return sh_action_rank(action_to_scmp(b, &rule->action)) >
	       sh_action_rank(state->deny_action);
}

static int build_denylist(struct build *b)
{
	const struct sh_seccomp_policy *policy = b->policy;
	size_t i;
	int r;

	if (has_fallback(b)) {
		r = allow_second_load(b);
		if (r < 0)
			return r;
	}

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if (!denylist_needs_second(b, rule,
					   find_state(b, rule->syscall)))
			continue;
		r = allow_second_load(b);
		if (r < 0)
			return r;
		break;
	}

	r = new_context(b, SCMP_ACT_ALLOW, &b->ctx[0]);
	if (r < 0)
		return r;
	b->ctx_default[0] = SCMP_ACT_ALLOW;

	for (i = 0; i < b->nstates; i++) {
		const struct syscall_state *state = &b->states[i];

		if (!denylist_denies_all(state))
			continue;
		r = add_to_context(b, b->ctx[0], state->deny_action,
				   state->name, 0, NULL, state->deny_rule);
		if (r < 0)
			return r;
	}

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];
		const struct syscall_state *state = find_state(b, rule->syscall);
		uint32_t action = action_to_scmp(b, &rule->action);
		scmp_filter_ctx ctx = b->ctx[0];
		struct sh_rule deny;

		/*
		 * A lone "!=" allow restricts the syscall to other values:
		 * deny the value itself, on its low 32 bits as every 32-bit
		 * "==" deny, unless an unconditional allow makes it moot.
		 */
		if (rule_is_allow_ne(rule)) {
			if (state->allow_uncond)
				continue;
			deny = *rule;
			deny.allow = false;
			deny.cond[0].op = SCMP_CMP_EQ;
			rule = &deny;
			action = b->default_action;
		}

		if (rule->allow || !rule->ncond)
			continue;

		/*
		 * libseccomp drops a conditional rule of a syscall that also
		 * has an unconditional one.  That loses nothing when the
		 * unconditional deny is at least as strict, and otherwise
		 * the conditional deny goes into a second filter.
		 */
		if (denylist_needs_second(b, rule, state)) {
			r = get_second_context(b, &ctx);
			if (r < 0)
				return r;
		} else if (denylist_denies_all(state)) {
			continue;
		}

		r = add_rule(b, ctx, action, rule);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */

static int record_policy(struct build *b, const char *const *allowance)
{
	const struct sh_seccomp_policy *policy = b->policy;
	size_t i;
	int r;

	for (i = 0; i < policy->nrules; i++) {
		r = record_rule(b, &policy->rules[i]);
		if (r < 0)
			return r;
	}

	r = record_allowance(b, allowance);
	if (r < 0 || policy->mode != SH_SECCOMP_ALLOWLIST)
		return r;

	/* an allow-list must give every syscall it can name an action */
	r = record_arch_syscalls(b, seccomp_arch_native());
	for (i = 0; r == 0 && i < policy->narch; i++)
		r = record_arch_syscalls(b, policy->arch[i]);
	if (r == 0)
		r = allowlist_prepare_later_filters(b);
	return r;
}

/* Check the mode and record the rules of every syscall the policy names. */
static int build_prepare(struct build *b, const char *const *allowance)
{
	const struct sh_seccomp_policy *policy = b->policy;
	int r;

	if (policy->mode != SH_SECCOMP_ALLOWLIST &&
	    policy->mode != SH_SECCOMP_DENYLIST)
		return sh_error_set(b->err, EINVAL, NULL, 0, NULL,
				    "invalid seccomp mode %d", policy->mode);

	r = set_default_action(b);
	if (r == 0)
		r = record_policy(b, allowance);
	return r;
}

static int build_contexts(struct build *b)
{
	if (b->policy->mode == SH_SECCOMP_ALLOWLIST)
		return build_allowlist(b);
	return build_denylist(b);
}

static int build_fallback(struct build *b, struct sh_bpf *ret)
{
	struct sh_bpf_call *calls;
	size_t ncalls = 0, i;
	int r;

	ret->len = 0;
	ret->insns = NULL;
	if (!has_fallback(b))
		return 0;

	calls = calloc(b->nstates, sizeof(*calls));
	if (!calls)
		return sh_error_set(b->err, ENOMEM, NULL, 0, NULL,
				    "out of memory");

	for (i = 0; i < b->nstates; i++) {
		const struct syscall_state *state = &b->states[i];

		if (!needs_fallback(b, state))
			continue;
		calls[ncalls].nr = state->nr;
		calls[ncalls].name = state->name;
		ncalls++;
	}

	/* the bad-arch action matches the one new_context() sets */
	r = sh_bpf_build_fallback(b->policy, calls, ncalls, b->default_action,
				  SCMP_ACT_ERRNO((uint32_t)b->default_errno),
				  ret, b->err);
	free(calls);
	return r;
}

static void build_release(struct build *b)
{
	unsigned int i;

	free(b->states);
	b->states = NULL;
	for (i = 0; i < 2; i++) {
		if (b->ctx[i])
			seccomp_release(b->ctx[i]);
		b->ctx[i] = NULL;
	}
}

int sh_filter_build(const struct sh_seccomp_policy *policy,
		    const char *const *allowance, bool stacked,
		    scmp_filter_ctx ret_ctx[2], unsigned int *ret_count,
		    struct sh_error *err)
{
	struct build b = { .policy = policy, .err = err, .stacked = stacked };
	int r;

	ret_ctx[0] = NULL;
	ret_ctx[1] = NULL;
	*ret_count = 0;

	if (policy->mode == SH_SECCOMP_OFF)
		return 0;

	r = build_prepare(&b, allowance);
	if (r == 0)
		r = build_contexts(&b);
	if (r < 0) {
		build_release(&b);
		return r;
	}

	ret_ctx[0] = b.ctx[0];
	ret_ctx[1] = b.ctx[1];
	*ret_count = b.ctx[1] ? 2 : 1;
	b.ctx[0] = NULL;
	b.ctx[1] = NULL;
	build_release(&b);
	return 0;
}

int sh_filter_build_fallback(const struct sh_seccomp_policy *policy,
			     const char *const *allowance, bool stacked,
			     struct sh_bpf *ret, struct sh_error *err)
{
	struct build b = { .policy = policy, .err = err, .stacked = stacked };
	int r;

	ret->len = 0;
	ret->insns = NULL;
	if (policy->mode == SH_SECCOMP_OFF)
		return 0;

	r = build_prepare(&b, allowance);
	if (r == 0)
		r = build_fallback(&b, ret);
	build_release(&b);
	return r;
}

/* ------------------------------------------------------------------------ */
/* BPF programs */

/*
 * Compile CTX to BPF in memory, through a memfd because libseccomp 2.5
 * writes only to a file descriptor.
 */
static int export_context(scmp_filter_ctx ctx, struct sh_bpf *ret,
			  struct sh_error *err)
{
	struct sh_bpf bpf = { 0 };
	off_t size;
	int fd, r;

	fd = memfd_create("sechard-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return sh_error_set(err, errno, NULL, 0, "seccomp",
				    "memfd_create failed: %s", strerror(errno));

	r = seccomp_export_bpf(ctx, fd);
	if (r < 0) {
		sh_error_set(err, -r, NULL, 0, "seccomp",
			     "cannot compile the filter: %s", strerror(-r));
		goto out;
	}

	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % sizeof(struct sock_filter) ||
	    size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		r = sh_error_set(err, E2BIG, NULL, 0, "seccomp",
				 "the compiled filter has %lld instructions; the kernel takes at most %d, so write fewer rules",
				 (long long)size / (long long)sizeof(struct sock_filter),
				 BPF_MAXINSNS);
		goto out;
	}

	bpf.len = (unsigned short)(size / sizeof(struct sock_filter));
	bpf.insns = malloc((size_t)size);
	if (!bpf.insns) {
		r = sh_error_set(err, ENOMEM, NULL, 0, "seccomp",
				 "out of memory");
		goto out;
	}
	if (pread(fd, bpf.insns, (size_t)size, 0) != size) {
		free(bpf.insns);
		r = sh_error_set(err, EIO, NULL, 0, "seccomp",
				 "cannot read back the compiled filter");
		goto out;
	}
	*ret = bpf;
	r = 0;
out:
	close(fd);
	return r;
}

static void free_programs(struct sh_bpf *programs, unsigned int count)
{
	while (count)
		free(programs[--count].insns);
}

/*
 * Put the layers in load order: the first context, the fallback filter,
 * the second context.  The fallback filter comes before the conditional
 * denies, so that a deny's own errno, from the layer loaded last, wins
 * over the default errno when both are ERRNO.
 */
static int export_all(struct build *b, struct sh_bpf *fallback,
		      struct sh_bpf ret[SH_FILTERS_MAX],
		      unsigned int *ret_count)
{
	unsigned int count = 0;
	int r;

	r = export_context(b->ctx[0], &ret[count], b->err);
	if (r < 0)
		return r;
	count++;

	if (fallback->len) {
		ret[count++] = *fallback;
		fallback->insns = NULL;
		fallback->len = 0;
	}

	if (b->ctx[1]) {
		r = export_context(b->ctx[1], &ret[count], b->err);
		if (r == 0)
			count++;
	}

	if (r < 0) {
		free_programs(ret, count);
		return r;
	}
	*ret_count = count;
	return 0;
}

/*
 * True when the policy allows seccomp(2) whatever its arguments.  Only
 * then can its layers be loaded as separate filters, because each of them
 * must allow seccomp(2) so that the next one can be loaded.
 */
static bool policy_allows_seccomp(struct build *b)
{
	const struct syscall_state *state = find_state(b, "seccomp");
	size_t i;

	for (i = 0; i < b->policy->nrules; i++) {
		const struct sh_rule *rule = &b->policy->rules[i];

		if (rule->ncond && strcmp(rule->syscall, "seccomp") == 0)
			return false;
	}

	if (!state)
		return b->policy->mode == SH_SECCOMP_DENYLIST;
	if (state->in_allowance)
		return true;
	if (state->deny_uncond)
		return false;
	return state->allow_uncond ||
	       b->policy->mode == SH_SECCOMP_DENYLIST;
}

/*
 * Compile POLICY into its layers, in load order, and set
 * *RET_SECCOMP_ALLOWED to whether they may be loaded as separate filters.
 */
static int compile_layers(const struct sh_seccomp_policy *policy,
			  const char *const *allowance, bool stacked,
			  struct sh_bpf ret[SH_FILTERS_MAX],
			  unsigned int *ret_count, bool *ret_seccomp_allowed,
			  struct sh_error *err)
{
	struct build b = { .policy = policy, .err = err, .stacked = stacked };
	struct sh_bpf fallback = { 0 };
	int r;

	r = build_prepare(&b, allowance);
	if (r == 0) {
		*ret_seccomp_allowed = policy_allows_seccomp(&b);
		r = build_contexts(&b);
	}
	if (r == 0)
		r = build_fallback(&b, &fallback);
	if (r == 0)
		r = export_all(&b, &fallback, ret, ret_count);

	free(fallback.insns);
	build_release(&b);
	return r;
}

/*
 * Replace the layers in PROGRAMS with the one program that merges them.
 * Returns 1 when they are too long to merge and stay as they are.
 */
static int merge_layers(struct sh_bpf programs[SH_FILTERS_MAX],
			unsigned int *count, struct sh_error *err)
{
	struct sh_bpf merged;
	int r;

	r = sh_bpf_merge(programs, *count, &merged);
	if (r == -E2BIG || r == -EOPNOTSUPP)
		return 1;
	if (r < 0)
		return sh_error_set(err, -r, NULL, 0, "seccomp",
				    "cannot merge the filter's %u layers: %s",
				    *count, strerror(-r));

	free_programs(programs, *count);
	programs[0] = merged;
	*count = 1;
	return 0;
}

int sh_filter_compile(const struct sh_seccomp_policy *policy,
		      const char *const *allowance,
		      struct sh_bpf ret[SH_FILTERS_MAX],
		      unsigned int *ret_count, struct sh_error *err)
{
	bool seccomp_allowed = false;
	unsigned int count = 0;
	int r;

	*ret_count = 0;
	if (policy->mode == SH_SECCOMP_OFF)
		return 0;

	r = compile_layers(policy, allowance, false, ret, &count,
			   &seccomp_allowed, err);
	if (r == 0 && count > 1)
		r = merge_layers(ret, &count, err);

	if (r == 1 && !seccomp_allowed) {
		free_programs(ret, count);
		return sh_error_set(err, E2BIG, NULL, 0, "seccomp",
				    "the filter needs more than %d instructions as one program, and as separate filters it would have to allow seccomp(2), which the profile does not; write fewer conditional rules, or allow seccomp",
				    BPF_MAXINSNS);
	}

	/* stacked layers differ: each lets the next one load */
	if (r == 1) {
		free_programs(ret, count);
		count = 0;
		r = compile_layers(policy, allowance, true, ret, &count,
				   &seccomp_allowed, err);
	}
	if (r < 0) {
		free_programs(ret, count);
		return r;
	}
	*ret_count = count;
	return 0;
}
