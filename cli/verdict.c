// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Per-syscall verdicts of the compiled seccomp filters.
 *
 * Each verdict comes from running the BPF that the plan loads through the
 * library's simulator, sh_plan_verdict(), so "sechard explain" shows what
 * the kernel does.  The policy rules serve for display only: they pick the
 * argument values worth trying, and they name the rule, default or
 * allowance that a result is attributed to.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define LOW32_MASK 0xffffffffULL

bool cli_action_allows(uint32_t action)
{
	return sh_action_rank(action) <= 1;
}

int cli_policy_default_errno(const struct sh_seccomp_policy *policy)
{
	if (policy->default_errno)
		return policy->default_errno;
	if (policy->default_action.errno_value)
		return policy->default_action.errno_value;
	return EPERM;
}

static uint32_t action_kind_to_scmp(enum sh_action_kind kind)
{
	switch (kind) {
	case SH_ACT_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case SH_ACT_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case SH_ACT_LOG:
		return SCMP_ACT_LOG;
	case SH_ACT_TRAP:
		return SCMP_ACT_TRAP;
	default:
		return SCMP_ACT_ALLOW;
	}
}

uint32_t cli_policy_default_action(const struct sh_seccomp_policy *policy)
{
	if (policy->complain)
		return SCMP_ACT_LOG;
	if (policy->default_action.kind == SH_ACT_ERRNO)
		return SCMP_ACT_ERRNO((uint32_t)cli_policy_default_errno(policy));
	return action_kind_to_scmp(policy->default_action.kind);
}

/* The action RULE requests, used only to attribute a simulated result. */
static uint32_t rule_action(const struct sh_seccomp_policy *policy,
			    const struct sh_rule *rule)
{
	if (rule->allow)
		return SCMP_ACT_ALLOW;
	if (policy->complain)
		return SCMP_ACT_LOG;
	if (rule->action.kind != SH_ACT_ERRNO)
		return action_kind_to_scmp(rule->action.kind);
	if (!rule->action.errno_value)
		return cli_policy_default_action(policy);
	return SCMP_ACT_ERRNO((uint32_t)rule->action.errno_value);
}

bool cli_rule_is_unless(const struct sh_rule *rule)
{
	return rule->allow && rule->ncond == 1 &&
	       rule->cond[0].op == SCMP_CMP_NE;
}

static bool in_list(const char *const *list, const char *name)
{
	for (; list && *list; list++) {
		if (strcmp(*list, name) == 0)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Running the filters */

static int run_filters(const struct sh_plan *plan, int nr,
		       const uint64_t args[6], uint32_t *ret_action)
{
	struct seccomp_data data;

	memset(&data, 0, sizeof(data));
	data.nr = nr;
	/* libseccomp's architecture tokens are the AUDIT_ARCH_* values */
	data.arch = seccomp_arch_native();
	memcpy(data.args, args, sizeof(data.args));
	return sh_plan_verdict(plan, &data, ret_action);
}

int cli_plan_call(const struct sh_plan *plan, const char *name,
		  const uint64_t args[6], uint32_t *ret_action)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr < 0)
		return -EINVAL;
	return run_filters(plan, nr, args, ret_action);
}

/* ------------------------------------------------------------------------ */
/* Argument values to try */

/*
 * True when COND holds for VALUE as the rule states it.  A 32-bit argument
 * is compared on its low 32 bits, as the compiled deny rules do.
 */
static bool cond_holds(const struct sh_cond *cond, uint64_t value)
{
	uint64_t v = cond->low32 ? value & LOW32_MASK : value;

	switch (cond->op) {
	case SCMP_CMP_NE:
		return v != cond->value;
	case SCMP_CMP_LT:
		return v < cond->value;
	case SCMP_CMP_LE:
		return v <= cond->value;
	case SCMP_CMP_EQ:
		return v == cond->value;
	case SCMP_CMP_GE:
		return v >= cond->value;
	case SCMP_CMP_GT:
		return v > cond->value;
	case SCMP_CMP_MASKED_EQ:
		return (v & cond->value) == cond->value_two;
	default:
		return false;
	}
}

static bool rule_matches(const struct sh_rule *rule, const uint64_t args[6])
{
	unsigned int i;

	for (i = 0; i < rule->ncond; i++) {
		if (rule->cond[i].arg > 5 ||
		    !cond_holds(&rule->cond[i], args[rule->cond[i].arg]))
			return false;
	}
	return true;
}

static bool names_syscall(const struct sh_rule *rule, const char *name)
{
	return rule->ncond && strcmp(rule->syscall, name) == 0;
}

/*
 * Find arguments that meet no condition of any rule for NAME, so that the
 * result is the syscall's unconditional verdict.  Tries all zeros first.
 * Returns false when every candidate meets some condition, and ARGS then
 * contains zeros.
 */
static bool pick_plain_args(const struct sh_seccomp_policy *policy,
			    const char *name, uint64_t args[6])
{
	static const uint64_t candidates[] = {
		0, 1, 2, 3, 0x7fff, 0x7ffffffe, 0xfffffffeULL,
	};
	size_t c, i, j;

	for (c = 0; c < sizeof(candidates) / sizeof(candidates[0]); c++) {
		bool matched = false;

		for (j = 0; j < 6; j++)
			args[j] = candidates[c];
		for (i = 0; i < policy->nrules && !matched; i++) {
			const struct sh_rule *rule = &policy->rules[i];

			matched = names_syscall(rule, name) &&
				  rule_matches(rule, args);
		}
		if (!matched)
			return true;
	}
	memset(args, 0, 6 * sizeof(args[0]));
	return false;
}

/* Change V as little as possible so that COND holds for it. */
static uint64_t meet_cond(const struct sh_cond *cond, uint64_t v)
{
	if (cond_holds(cond, v))
		return v;

	switch (cond->op) {
	case SCMP_CMP_NE:
		return cond->value + 1;
	case SCMP_CMP_LT:
		return cond->value - 1;
	case SCMP_CMP_GT:
		return cond->value + 1;
	case SCMP_CMP_MASKED_EQ:
		return (v & ~cond->value) | (cond->value_two & cond->value);
	default:	/* EQ, LE, GE */
		return cond->value;
	}
}

/*
 * Start from PLAIN and set the arguments RULE compares so that all its
 * conditions hold, or for an "unless" rule so that its one condition
 * fails.  Returns false when no such arguments were found.
 */
static bool args_for_rule(const struct sh_rule *rule, const uint64_t plain[6],
			  uint64_t args[6])
{
	unsigned int i;

	memcpy(args, plain, 6 * sizeof(args[0]));
	if (cli_rule_is_unless(rule)) {
		if (rule->cond[0].arg > 5)
			return false;
		args[rule->cond[0].arg] = rule->cond[0].value;
		return true;
	}

	for (i = 0; i < rule->ncond; i++) {
		const struct sh_cond *cond = &rule->cond[i];

		if (cond->arg > 5)
			return false;
		args[cond->arg] = meet_cond(cond, args[cond->arg]);
	}
	return rule_matches(rule, args);
}

/* ------------------------------------------------------------------------ */
/* Attribution */

/* The unconditional rule for NAME whose action is ACTION, if one. */
static const struct sh_rule *
find_plain_rule(const struct sh_seccomp_policy *policy, const char *name,
		uint32_t action)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if (!rule->ncond && strcmp(rule->syscall, name) == 0 &&
		    rule_action(policy, rule) == action)
			return rule;
	}
	return NULL;
}

static bool has_cond_allow(const struct sh_seccomp_policy *policy,
			   const char *name)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		if (policy->rules[i].allow &&
		    names_syscall(&policy->rules[i], name))
			return true;
	}
	return false;
}

/* What an unnamed syscall gets: the default of an allow-list, or allow. */
static uint32_t unnamed_action(const struct sh_seccomp_policy *policy)
{
	if (policy->mode == SH_SECCOMP_ALLOWLIST)
		return cli_policy_default_action(policy);
	return SCMP_ACT_ALLOW;
}

static void attribute(const struct sh_plan *plan,
		      const struct sh_seccomp_policy *policy,
		      const char *const *allowance, struct cli_verdict *ret)
{
	bool allows = cli_action_allows(ret->action);

	ret->rule = find_plain_rule(policy, ret->name, ret->action);

	if (allows && in_list(allowance, ret->name))
		ret->source = CLI_FROM_ALLOWANCE;
	else if (ret->rule)
		ret->source = CLI_FROM_RULE;
	else if (allows && plan->nfilters > 1 &&
		 strcmp(ret->name, "seccomp") == 0)
		ret->source = CLI_FROM_SECOND_LOAD;
	else if (has_cond_allow(policy, ret->name))
		ret->source = CLI_FROM_COND_ALLOW;
	else if (ret->action == unnamed_action(policy))
		ret->source = CLI_FROM_DEFAULT;
	else
		ret->source = CLI_FROM_FILTER;

	if (ret->source != CLI_FROM_RULE)
		ret->rule = NULL;
}

/* ------------------------------------------------------------------------ */

static int add_conds(const struct sh_plan *plan,
		     const struct sh_seccomp_policy *policy,
		     const uint64_t plain[6], struct cli_verdict *ret)
{
	uint64_t args[6];
	size_t i;
	int r;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];
		uint32_t action;

		if (!names_syscall(rule, ret->name) ||
		    !args_for_rule(rule, plain, args))
			continue;

		r = run_filters(plan, ret->nr, args, &action);
		if (r < 0)
			return r;
		/* a rule that changes nothing is not worth a line */
		if (action == ret->action)
			continue;

		if (ret->nconds == CLI_VERDICT_CONDS_MAX) {
			ret->conds_truncated = true;
			break;
		}
		ret->conds[ret->nconds].rule = rule;
		ret->conds[ret->nconds].action = action;
		ret->nconds++;
	}
	return 0;
}

int cli_verdict_get(const struct sh_plan *plan,
		    const struct sh_seccomp_policy *policy,
		    const char *const *allowance, int nr, const char *name,
		    struct cli_verdict *ret)
{
	uint64_t plain[6];
	int r;

	memset(ret, 0, sizeof(*ret));
	snprintf(ret->name, sizeof(ret->name), "%s", name);
	ret->nr = nr;

	/*
	 * NOTE: when every candidate meets some condition, the zero
	 * arguments stand in for "no condition met", and the verdict shown
	 * as unconditional may be a conditional one.
	 */
	pick_plain_args(policy, name, plain);
	r = run_filters(plan, nr, plain, &ret->action);
	if (r < 0)
		return r;

	attribute(plan, policy, allowance, ret);
	return add_conds(plan, policy, plain, ret);
}

bool cli_verdict_may_allow(const struct cli_verdict *verdict)
{
	unsigned int i;

	if (cli_action_allows(verdict->action))
		return true;
	for (i = 0; i < verdict->nconds; i++) {
		if (cli_action_allows(verdict->conds[i].action))
			return true;
	}
	/* conditions left out could allow the call */
	return verdict->conds_truncated;
}

/* ------------------------------------------------------------------------ */
/* Descriptions */


static const char *op_symbol(enum scmp_compare op)
{
	switch (op) {
	case SCMP_CMP_NE:
		return "!=";
	case SCMP_CMP_LT:
		return "<";
	case SCMP_CMP_LE:
		return "<=";
	case SCMP_CMP_EQ:
		return "==";
	case SCMP_CMP_GE:
		return ">=";
	case SCMP_CMP_GT:
		return ">";
	default:
		return "?";
	}
}

void cli_rule_conditions(const struct sh_rule *rule, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < rule->ncond && used < size; i++) {
		const struct sh_cond *cond = &rule->cond[i];
		const char *join = i ? " && " : "";
		int n;

		if (cond->op == SCMP_CMP_MASKED_EQ)
			n = snprintf(buf + used, size - used,
				     "%sarg%u & 0x%llx == 0x%llx", join,
				     cond->arg,
				     (unsigned long long)cond->value,
				     (unsigned long long)cond->value_two);
		else
			n = snprintf(buf + used, size - used,
				     "%sarg%u %s 0x%llx", join, cond->arg,
				     op_symbol(cond->op),
				     (unsigned long long)cond->value);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int cli_count_layers(const struct sh_profile *profile,
		     enum sh_enforce_point point, unsigned int *ret)
{
	const char *const *allowance;
	struct sh_error err = { 0 };
	scmp_filter_ctx ctx[2];
	struct sh_bpf fallback;
	unsigned int nctx = 0, i;

	allowance = sh_enforce_allowance(cli_filter_point(profile, point));
	if (sh_filter_build(&profile->seccomp, allowance, false, ctx, &nctx,
			    &err) < 0)
		return -1;
	for (i = 0; i < nctx; i++)
		seccomp_release(ctx[i]);

	if (sh_filter_build_fallback(&profile->seccomp, allowance, false,
				     &fallback, &err) < 0)
		return -1;
	*ret = nctx + (fallback.len ? 1 : 0);
	free(fallback.insns);
	return 0;
}

enum sh_enforce_point cli_filter_point(const struct sh_profile *profile,
				       enum sh_enforce_point point)
{
	if (profile->seccomp.mode != SH_SECCOMP_OFF && !profile->no_new_privs &&
	    point == SH_ENFORCE_CHILD)
		return SH_ENFORCE_OPEN;
	return point;
}
