// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Per-syscall verdicts computed from a seccomp policy model.
 *
 * These follow the rules sh_filter_build() in lib/filter.c compiles, not
 * the BPF it produces: "sechard explain" shows what each syscall gets and
 * which rule decides it.  A change to how filter.c merges rules must be
 * made here too.
 *
 * NOTE: nothing compares this model with the compiled BPF automatically;
 * tests/cli/explain.sh checks a few verdicts of the shipped tenant and
 * baseline profiles (ptrace, clone3, ioctl TIOCSTI, kexec_load) that the
 * real-session tests also probe.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The rules of a policy for one syscall, merged as filter.c merges them. */
struct summary {
	bool in_allowance;
	bool second_load;	/* allowed so that the second filter can load */
	bool allow_uncond;
	const struct sh_rule *allow_rule;
	const struct sh_rule *ne_rule;	/* a lone "argN != v" allow */
	unsigned int ncond_allow;
	bool deny_uncond;
	uint32_t deny_action;
	const struct sh_rule *deny_rule;
};

/* The kernel applies the strictest action of all loaded filters. */
static int action_rank(uint32_t action)
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

bool cli_action_allows(uint32_t action)
{
	return action_rank(action) <= 1;
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

static uint32_t rule_action(const struct sh_seccomp_policy *policy,
			    const struct sh_rule *rule)
{
	if (policy->complain)
		return SCMP_ACT_LOG;
	if (rule->action.kind != SH_ACT_ERRNO)
		return action_kind_to_scmp(rule->action.kind);
	if (!rule->action.errno_value)
		return cli_policy_default_action(policy);
	return SCMP_ACT_ERRNO((uint32_t)rule->action.errno_value);
}

static bool is_allow_ne(const struct sh_rule *rule)
{
	return rule->allow && rule->ncond == 1 &&
	       rule->cond[0].op == SCMP_CMP_NE && rule->cond[0].low32;
}

static bool in_list(const char *const *list, const char *name)
{
	for (; list && *list; list++) {
		if (strcmp(*list, name) == 0)
			return true;
	}
	return false;
}

static void merge_deny(const struct sh_seccomp_policy *policy,
		       struct summary *summary, const struct sh_rule *rule)
{
	uint32_t action = rule_action(policy, rule);

	if (summary->deny_uncond &&
	    action_rank(action) <= action_rank(summary->deny_action))
		return;
	summary->deny_uncond = true;
	summary->deny_action = action;
	summary->deny_rule = rule;
}

static void summarize(const struct sh_seccomp_policy *policy,
		      const char *const *allowance, const char *name,
		      struct summary *ret)
{
	size_t i;

	memset(ret, 0, sizeof(*ret));
	ret->in_allowance = in_list(allowance, name);

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if (strcmp(rule->syscall, name) != 0)
			continue;
		if (rule->allow && !rule->ncond) {
			ret->allow_uncond = true;
			ret->allow_rule = rule;
		} else if (is_allow_ne(rule)) {
			ret->ne_rule = rule;
		} else if (rule->allow) {
			ret->ncond_allow++;
		} else if (!rule->ncond) {
			merge_deny(policy, ret, rule);
		}
	}
}

static bool denies_all(const struct summary *summary)
{
	return summary->deny_uncond && !summary->in_allowance &&
	       !summary->allow_uncond;
}

/* True when a deny-list's conditional deny RULE needs the second filter. */
static bool denylist_rule_needs_second(const struct sh_seccomp_policy *policy,
				       const char *const *allowance,
				       const struct sh_rule *rule)
{
	struct summary summary;

	if (rule->allow || !rule->ncond)
		return false;
	summarize(policy, allowance, rule->syscall, &summary);
	return denies_all(&summary) &&
	       action_rank(rule_action(policy, rule)) >
		       action_rank(summary.deny_action);
}

/* Mirrors allowlist_needs_second() and build_denylist() in filter.c. */
static bool needs_second_filter(const struct sh_seccomp_policy *policy,
				const char *const *allowance)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if (policy->mode == SH_SECCOMP_ALLOWLIST &&
		    ((!rule->allow && rule->ncond) || is_allow_ne(rule)))
			return true;
		if (policy->mode == SH_SECCOMP_DENYLIST &&
		    denylist_rule_needs_second(policy, allowance, rule))
			return true;
	}
	return false;
}

static void add_cond(struct cli_verdict *verdict, const struct sh_rule *rule,
		     uint32_t action)
{
	if (verdict->nconds == CLI_VERDICT_CONDS_MAX) {
		verdict->conds_truncated = true;
		return;
	}
	verdict->conds[verdict->nconds].rule = rule;
	verdict->conds[verdict->nconds].action = action;
	verdict->nconds++;
}

static void allowlist_base(const struct sh_seccomp_policy *policy,
			   const struct summary *summary,
			   struct cli_verdict *ret)
{
	if (summary->in_allowance) {
		ret->action = SCMP_ACT_ALLOW;
		ret->source = summary->second_load ? CLI_FROM_SECOND_LOAD :
						     CLI_FROM_ALLOWANCE;
	} else if (summary->deny_uncond) {
		ret->action = summary->deny_action;
		ret->source = CLI_FROM_RULE;
		ret->rule = summary->deny_rule;
	} else if (summary->allow_uncond || summary->ne_rule) {
		ret->action = SCMP_ACT_ALLOW;
		ret->source = CLI_FROM_RULE;
		ret->rule = summary->allow_uncond ? summary->allow_rule :
						    summary->ne_rule;
	} else if (summary->ncond_allow) {
		/* the first filter's default: see the NOTE in filter.c */
		ret->action = SCMP_ACT_ERRNO(ENOSYS);
		ret->source = CLI_FROM_COND_ALLOW;
	} else {
		ret->action = cli_policy_default_action(policy);
		ret->source = CLI_FROM_DEFAULT;
	}
}

static void allowlist_conds(const struct sh_seccomp_policy *policy,
			    const struct summary *summary,
			    struct cli_verdict *ret)
{
	bool ne_moot = summary->allow_uncond ||
		       (summary->deny_uncond && !summary->in_allowance);
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if (strcmp(rule->syscall, ret->name) != 0 || !rule->ncond)
			continue;
		if (!rule->allow)
			add_cond(ret, rule, rule_action(policy, rule));
		else if (is_allow_ne(rule) && !ne_moot)
			/* shown as "ACTION unless argN != v" */
			add_cond(ret, rule, cli_policy_default_action(policy));
		else if (!is_allow_ne(rule) &&
			 ret->source == CLI_FROM_COND_ALLOW)
			add_cond(ret, rule, SCMP_ACT_ALLOW);
	}
}

static void denylist_verdict(const struct sh_seccomp_policy *policy,
			     const struct summary *summary,
			     struct cli_verdict *ret)
{
	size_t i;

	if (denies_all(summary)) {
		ret->action = summary->deny_action;
		ret->source = CLI_FROM_RULE;
		ret->rule = summary->deny_rule;
	} else {
		ret->action = SCMP_ACT_ALLOW;
		ret->source = summary->in_allowance ?
				      (summary->second_load ?
					       CLI_FROM_SECOND_LOAD :
					       CLI_FROM_ALLOWANCE) :
				      summary->allow_uncond ? CLI_FROM_RULE :
							      CLI_FROM_DEFAULT;
		ret->rule = summary->allow_uncond ? summary->allow_rule : NULL;
	}

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];
		uint32_t action = rule_action(policy, rule);

		if (strcmp(rule->syscall, ret->name) != 0 || rule->allow ||
		    !rule->ncond)
			continue;
		/* a conditional deny no stricter than a full deny is moot */
		if (denies_all(summary) &&
		    action_rank(action) <= action_rank(summary->deny_action))
			continue;
		add_cond(ret, rule, action);
	}
}

bool cli_verdict_get(const struct sh_seccomp_policy *policy,
		     const char *const *allowance, const char *name,
		     struct cli_verdict *ret)
{
	struct summary summary;

	memset(ret, 0, sizeof(*ret));
	if (policy->mode == SH_SECCOMP_OFF)
		return false;

	snprintf(ret->name, sizeof(ret->name), "%s", name);
	ret->nr = seccomp_syscall_resolve_name(name);
	summarize(policy, allowance, name, &summary);
	if (!summary.in_allowance && strcmp(name, "seccomp") == 0 &&
	    needs_second_filter(policy, allowance)) {
		summary.in_allowance = true;
		summary.second_load = true;
	}

	if (policy->mode == SH_SECCOMP_ALLOWLIST) {
		allowlist_base(policy, &summary, ret);
		allowlist_conds(policy, &summary, ret);
	} else {
		denylist_verdict(policy, &summary, ret);
	}
	return true;
}

/* ------------------------------------------------------------------------ */
/* Descriptions */

void cli_action_name(uint32_t action, char *buf, size_t size)
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
	default:
		name = "allow";
		break;
	}
	snprintf(buf, size, "%s", name);
}

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

enum sh_enforce_point cli_filter_point(const struct sh_profile *profile,
				       enum sh_enforce_point point)
{
	if (profile->seccomp.mode != SH_SECCOMP_OFF && !profile->no_new_privs &&
	    point == SH_ENFORCE_CHILD)
		return SH_ENFORCE_OPEN;
	return point;
}

/* ------------------------------------------------------------------------ */
/* Questions about one kind of call */

static uint64_t compared_value(const struct sh_cond *cond, uint64_t value)
{
	return cond->low32 ? (value & 0xffffffffULL) : value;
}

/*
 * True when COND holds for every call whose argument has VALUE (MASKED:
 * has every bit of VALUE set, other bits unknown).
 */
static bool cond_always_holds(const struct sh_cond *cond, uint64_t value,
			      bool masked)
{
	uint64_t v = compared_value(cond, value);

	if (cond->op == SCMP_CMP_MASKED_EQ)
		return (cond->value & ~v) == 0 &&
		       (v & cond->value) == cond->value_two;
	if (masked)
		return false;

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
	default:
		return false;
	}
}

/* True when RULE's conditions all hold for such a call. */
static bool rule_always_matches(const struct sh_rule *rule, int arg,
				uint64_t value, bool masked)
{
	unsigned int i;

	for (i = 0; i < rule->ncond; i++) {
		if ((int)rule->cond[i].arg != arg ||
		    !cond_always_holds(&rule->cond[i], value, masked))
			return false;
	}
	return true;
}

/* True when RULE's conditions may hold for some such call. */
static bool rule_may_match(const struct sh_rule *rule, int arg,
			   uint64_t value, bool masked)
{
	unsigned int i;

	if (masked)
		return true;
	for (i = 0; i < rule->ncond; i++) {
		if ((int)rule->cond[i].arg == arg &&
		    !cond_always_holds(&rule->cond[i], value, false))
			return false;
	}
	return true;
}

/*
 * NOTE: a conditional deny counts only when all its conditions are on ARG,
 * and the deny that stands for an "argN != v" allow is not evaluated, so
 * this may call a denied call allowed.  The warnings built on it err
 * towards warning.
 */
bool cli_policy_denies(const struct sh_seccomp_policy *policy,
		       const char *const *allowance, const char *name,
		       int arg, uint64_t value, bool masked)
{
	struct cli_verdict verdict;
	unsigned int i;

	if (!cli_verdict_get(policy, allowance, name, &verdict))
		return false;

	if (verdict.source == CLI_FROM_COND_ALLOW) {
		for (i = 0; i < verdict.nconds; i++) {
			if (cli_action_allows(verdict.conds[i].action) &&
			    rule_may_match(verdict.conds[i].rule, arg, value,
					   masked))
				return false;
		}
		return true;
	}
	if (!cli_action_allows(verdict.action))
		return true;

	for (i = 0; arg >= 0 && i < verdict.nconds; i++) {
		const struct sh_rule *rule = verdict.conds[i].rule;

		if (cli_action_allows(verdict.conds[i].action) || rule->allow)
			continue;
		if (rule_always_matches(rule, arg, value, masked))
			return true;
	}
	return false;
}
