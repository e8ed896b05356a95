// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Weak spots of a profile: the warnings of "sechard check" and the
 * exposure score of "sechard explain".
 *
 * Exposure score, 0 (most confined) to 10 (unconfined).  The built-in
 * profile "unconfined" scores 10.  Any other profile gets the sum of these
 * points, capped at 10:
 *   capabilities  3 all kept, 2 some kept that amount to root,
 *                 1 others kept, 0 none kept
 *   no_new_privs  2 when off: setuid and file-capability programs still
 *                 raise privileges up to the bounding set
 *   seccomp       3 off or in complain mode, 1 deny-list, 0 allow-list
 *   user namespaces       1 when a session can create one
 *   terminal injection    1 when TIOCSTI or TIOCLINUX is allowed
 *   kernel attack surface 1 when bpf, io_uring_setup, perf_event_open or
 *                         userfaultfd is allowed
 * The weights are a judgment of how much
 * each control limits a compromised session, not a measurement.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "consts.h"

/* clone(2) flag for a new user namespace, from <linux/sched.h>. */
#define CLONE_NEWUSER_FLAG 0x10000000ULL
/* SIGCHLD, the exit signal fork-like clone calls pass in the flags */
#define SIGCHLD_NUMBER 17ULL
/* A bit above the 32 that clone(2) reads from its flags argument */
#define HIGH_BIT (1ULL << 32)

static const char *const kernel_surface_syscalls[] = {
	"bpf", "io_uring_setup", "perf_event_open", "userfaultfd", NULL,
};

/*
 * Compile the seccomp filters PROFILE gets at POINT.  The LSM labels are
 * left out: checking them needs the running kernel's LSM, and they do not
 * change the filters.  Returns NULL when the filters cannot be built; "sechard
 * check" reports that error on its own.
 */
static struct sh_plan *build_filters(const struct sh_profile *profile,
				     enum sh_enforce_point point)
{
	struct sh_profile filters_only = *profile;
	struct sh_plan *plan = NULL;

	filters_only.selinux_exec_context = NULL;
	filters_only.apparmor_exec_profile = NULL;
	if (sh_plan_build(&filters_only, point, &plan, NULL) < 0)
		return NULL;
	return plan;
}

/*
 * True when the filters of PLAN let the native syscall NAME through with
 * ARGS.  A call the filters cannot be run on counts as allowed, which errs
 * towards warning.
 */
static bool call_allowed(const struct sh_plan *plan, const char *name,
			 uint64_t arg0, uint64_t arg1)
{
	const uint64_t args[6] = { arg0, arg1 };
	uint32_t action;

	if (cli_plan_call(plan, name, args, &action) < 0)
		return true;
	return cli_action_allows(action);
}

/*
 * NOTE: the calls below are samples.  A rule that refuses these flag and
 * request values but lets another combination through (more clone flags,
 * another file descriptor) is not seen, so these findings can miss an
 * opening that a broader rule set would reveal.
 */
static bool plan_allows_user_namespaces(const struct sh_plan *plan)
{
	static const uint64_t clone_flags[] = {
		CLONE_NEWUSER_FLAG,
		CLONE_NEWUSER_FLAG | SIGCHLD_NUMBER,
		/* clone(2) reads 32 bits of flags, a filter may read 64 */
		CLONE_NEWUSER_FLAG | SIGCHLD_NUMBER | HIGH_BIT,
	};
	size_t i;

	if (call_allowed(plan, "unshare", CLONE_NEWUSER_FLAG, 0))
		return true;
	for (i = 0; i < sizeof(clone_flags) / sizeof(clone_flags[0]); i++) {
		if (call_allowed(plan, "clone", clone_flags[i], 0))
			return true;
	}

	/* clone3 passes its flags in memory, where no filter can look */
	return call_allowed(plan, "clone3", 0, 0);
}

static bool plan_allows_terminal_injection(const struct sh_plan *plan)
{
	static const char *const requests[] = { "TIOCSTI", "TIOCLINUX" };
	static const uint64_t fds[] = { 0, 3 };
	size_t i, j;

	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		uint64_t request;

		if (sh_const_lookup(requests[i], &request) < 0)
			return true;
		for (j = 0; j < sizeof(fds) / sizeof(fds[0]); j++) {
			/* ioctl(2) reads 32 bits of request, a filter 64 */
			if (call_allowed(plan, "ioctl", fds[j], request) ||
			    call_allowed(plan, "ioctl", fds[j],
					 request | HIGH_BIT))
				return true;
		}
	}
	return false;
}

/* Like allowed_kernel_surface(), on filters compiled already. */
static const char *plan_allowed_kernel_surface(const struct sh_plan *plan,
					       const struct sh_profile *profile,
					       enum sh_enforce_point point)
{
	const char *const *allowance =
		sh_enforce_allowance(cli_filter_point(profile, point));
	const char *const *name;

	for (name = kernel_surface_syscalls; *name; name++) {
		int nr = seccomp_syscall_resolve_name(*name);
		struct cli_verdict verdict;

		if (nr < 0)
			continue;
		if (cli_verdict_get(plan, &profile->seccomp, allowance, nr,
				    *name, &verdict) < 0 ||
		    cli_verdict_may_allow(&verdict))
			return *name;
	}
	return NULL;
}

/*
 * Build PROFILE's filters for POINT and ask PLAN_ALLOWS about them.  A
 * profile without a filter, or one whose filters cannot be built, counts
 * as allowing, so that the warning errs on the safe side.
 */
static bool profile_allows(const struct sh_profile *profile,
			   enum sh_enforce_point point,
			   bool (*plan_allows)(const struct sh_plan *plan))
{
	struct sh_plan *plan;
	bool allowed;

	if (profile->unconfined || profile->seccomp.mode == SH_SECCOMP_OFF)
		return true;

	plan = build_filters(profile, point);
	if (!plan)
		return true;
	allowed = plan_allows(plan);
	sh_plan_free(plan);
	return allowed;
}

bool cli_allows_user_namespaces(const struct sh_profile *profile,
				enum sh_enforce_point point)
{
	return profile_allows(profile, point, plan_allows_user_namespaces);
}

bool cli_allows_terminal_injection(const struct sh_profile *profile,
				   enum sh_enforce_point point)
{
	return profile_allows(profile, point, plan_allows_terminal_injection);
}

/* The first syscall of the kernel attack surface list that stays allowed. */
static const char *allowed_kernel_surface(const struct sh_profile *profile,
					  enum sh_enforce_point point)
{
	struct sh_plan *plan;
	const char *name;

	if (profile->seccomp.mode == SH_SECCOMP_OFF)
		return kernel_surface_syscalls[0];

	plan = build_filters(profile, point);
	if (!plan)
		return kernel_surface_syscalls[0];
	name = plan_allowed_kernel_surface(plan, profile, point);
	sh_plan_free(plan);
	return name;
}

/* ------------------------------------------------------------------------ */
/* Warnings */

struct collector {
	struct cli_warning *items;
	size_t size;
	size_t count;
};

static void warn(struct collector *out, const struct sh_source *source,
		 const struct sh_profile *profile, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn(struct collector *out, const struct sh_source *source,
		 const struct sh_profile *profile, const char *fmt, ...)
{
	struct cli_warning *item;
	va_list ap;
	int n;

	if (out->count == out->size)
		return;
	item = &out->items[out->count++];

	/* a setting made in the profile itself, else the profile's header */
	item->file = source && source->file ? source->file : profile->file;
	item->line = source && source->file ? source->line : profile->line;

	n = snprintf(item->message, sizeof(item->message), "profile \"%s\": ",
		     profile->name);
	va_start(ap, fmt);
	vsnprintf(item->message + n, sizeof(item->message) - (size_t)n, fmt,
		  ap);
	va_end(ap);
}

static void warn_root_caps(struct collector *out,
			   const struct sh_profile *profile)
{
	char name[64];
	int cap;

	if (profile->caps_keep_all)
		return;
	for (cap = 0; cap < 64; cap++) {
		const char *reason = cli_cap_root_reason(cap);

		if (!(profile->caps_keep & (UINT64_C(1) << cap)) || !reason)
			continue;
		cli_cap_name(cap, name, sizeof(name));
		warn(out, &profile->src_caps, profile,
		     "keeps %s, which amounts to root: its holder %s", name,
		     reason);
	}
}

static bool in_list(const char *const *list, const char *name)
{
	for (; list && *list; list++) {
		if (strcmp(*list, name) == 0)
			return true;
	}
	return false;
}

/*
 * The enforcement allowance wins over a deny without conditions and over
 * conditional allows meant as a restriction, so such rules change nothing.
 */
static void warn_overridden_rules(struct collector *out,
				  const struct sh_profile *profile,
				  enum sh_enforce_point point)
{
	const char *const *allowance =
		sh_enforce_allowance(cli_filter_point(profile, point));
	const struct sh_seccomp_policy *policy = &profile->seccomp;
	size_t i, j;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];
		struct sh_source source = { rule->file, rule->line };
		bool repeated = false;

		if ((!rule->allow && rule->ncond) ||
		    (rule->allow && !rule->ncond) ||
		    !in_list(allowance, rule->syscall))
			continue;
		for (j = 0; j < i && !repeated; j++)
			repeated = strcmp(policy->rules[j].syscall,
					  rule->syscall) == 0;
		if (repeated)
			continue;

		warn(out, &source, profile,
		     "%s of %s has no effect: the login program still calls it after the filter is loaded, so every filter allows it (the enforcement allowance); restrict it with conditional denies instead",
		     rule->allow ? "a conditional allow" : "the deny",
		     rule->syscall);
	}
}

/* Read the start of PATH, a one-line file under /proc/sys, into BUF. */
static bool read_small_file(const char *path, char *buf, size_t size)
{
	FILE *file;
	size_t len;

	file = fopen(path, "re");
	if (!file)
		return false;
	len = fread(buf, 1, size - 1, file);
	fclose(file);
	buf[len] = '\0';
	return true;
}

/*
 * Whether the kernel writes an audit record for ACTION ("errno",
 * "kill_process") of a filter loaded with SECCOMP_FILTER_FLAG_LOG.  An
 * unreadable list counts as yes, because it only decides a warning.
 */
static bool kernel_logs_action(const char *action)
{
	char list[512], *token, *saveptr = NULL;

	if (!read_small_file("/proc/sys/kernel/seccomp/actions_logged", list,
			     sizeof(list)))
		return true;

	for (token = strtok_r(list, " \n", &saveptr); token;
	     token = strtok_r(NULL, " \n", &saveptr)) {
		if (strcmp(token, action) == 0)
			return true;
	}
	return false;
}

static void warn_unlogged_denials(struct collector *out,
				  const struct sh_profile *profile)
{
	const char *action;

	switch (profile->seccomp.default_action.kind) {
	case SH_ACT_KILL_PROCESS:
		action = "kill_process";
		break;
	case SH_ACT_KILL_THREAD:
		action = "kill_thread";
		break;
	case SH_ACT_TRAP:
		action = "trap";
		break;
	case SH_ACT_LOG:
		action = "log";
		break;
	default:
		action = "errno";
		break;
	}
	if (!kernel_logs_action(action))
		warn(out, &profile->src_seccomp, profile,
		     "seccomp_log_denied is on, but /proc/sys/kernel/seccomp/actions_logged does not list \"%s\": the kernel writes no audit record for this profile's denials",
		     action);
}

/* Yama's ptrace_scope, or 0 when Yama is off or the value unreadable. */
static uint64_t yama_ptrace_scope(void)
{
	char text[32];
	uint64_t scope;

	if (!read_small_file("/proc/sys/kernel/yama/ptrace_scope", text,
			     sizeof(text)))
		return 0;
	text[strcspn(text, "\n")] = '\0';
	return sh_parse_u64(text, &scope) == 0 ? scope : 0;
}

size_t cli_profile_warnings(const struct sh_profile *profile,
			    enum sh_enforce_point point,
			    struct cli_warning *ret, size_t size)
{
	struct collector out = { .items = ret, .size = size };

	if (profile->unconfined)
		return 0;

	warn_root_caps(&out, profile);
	warn_overridden_rules(&out, profile, point);

	if (!profile->no_new_privs)
		warn(&out, &profile->src_no_new_privs, profile,
		     "no_new_privs is off: setuid programs such as su and sudo still raise privileges up to the bounding set");
	else if (!profile->isolate_ptrace && yama_ptrace_scope() == 0)
		warn(&out, &profile->src_no_new_privs, profile,
		     "isolate_ptrace is off and Yama does not restrict ptrace: the session can write the memory of the user's processes outside it through /proc/PID/mem, and code written into an unconfined one runs without the profile; set isolate_ptrace = yes");

	if (profile->seccomp.mode == SH_SECCOMP_OFF)
		warn(&out, &profile->src_seccomp, profile,
		     "no seccomp filter: every system call of the kernel is reachable");
	else if (profile->seccomp.complain)
		warn(&out, &profile->src_seccomp, profile,
		     "seccomp_complain is on: the filter logs calls and denies none");
	else if (profile->seccomp.log_denied)
		warn_unlogged_denials(&out, profile);

	if (!profile->caps_keep_all &&
	    cli_allows_user_namespaces(profile, point))
		warn(&out, &profile->src_seccomp, profile,
		     "user namespaces are allowed while capabilities are dropped: a session regains every capability inside its own namespace; deny unshare, clone(arg0 & CLONE_NEWUSER == CLONE_NEWUSER) and clone3");

	if ((profile->selinux_exec_context || profile->apparmor_exec_profile) &&
	    profile->no_new_privs)
		warn(&out, profile->selinux_exec_context ?
				   &profile->src_selinux :
				   &profile->src_apparmor,
		     profile,
		     "an LSM exec context together with no_new_privs needs a policy that permits the transition under no_new_privs (SELinux nnp_transition, AppArmor stacking); otherwise execve of the shell fails");

	if (cli_allows_terminal_injection(profile, point))
		warn(&out, &profile->src_seccomp, profile,
		     "terminal ioctls TIOCSTI and TIOCLINUX are allowed: a session can type commands into a terminal it shares with a more privileged one; deny ioctl(arg1 == TIOCSTI) and ioctl(arg1 == TIOCLINUX)");

	return out.count;
}

/* ------------------------------------------------------------------------ */
/* Exposure score */

struct score {
	struct cli_score_reason *reasons;
	size_t size;
	size_t count;
	int total;
};

static void add_points(struct score *score, int points, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_points(struct score *score, int points, const char *fmt, ...)
{
	struct cli_score_reason *reason;
	va_list ap;

	score->total += points;
	if (score->count == score->size)
		return;
	reason = &score->reasons[score->count++];
	reason->points = points;
	va_start(ap, fmt);
	vsnprintf(reason->text, sizeof(reason->text), fmt, ap);
	va_end(ap);
}

static bool keeps_root_cap(const struct sh_profile *profile)
{
	int cap;

	for (cap = 0; cap < 64; cap++) {
		if ((profile->caps_keep & (UINT64_C(1) << cap)) &&
		    cli_cap_root_reason(cap))
			return true;
	}
	return false;
}

static void score_caps(struct score *score, const struct sh_profile *profile)
{
	if (profile->caps_keep_all)
		add_points(score, 3, "every capability stays in the bounding set");
	else if (keeps_root_cap(profile))
		add_points(score, 2,
			   "the bounding set keeps capabilities that amount to root");
	else if (profile->caps_keep)
		add_points(score, 1, "the bounding set keeps some capabilities");
	else
		add_points(score, 0, "the bounding set is empty");
}

static void score_seccomp(struct score *score,
			  const struct sh_profile *profile)
{
	const struct sh_seccomp_policy *policy = &profile->seccomp;

	if (policy->mode == SH_SECCOMP_OFF)
		add_points(score, 3, "no seccomp filter");
	else if (policy->complain)
		add_points(score, 3,
			   "the seccomp filter is in complain mode and denies nothing");
	else if (policy->mode == SH_SECCOMP_DENYLIST)
		add_points(score, 1,
			   "the seccomp filter is a deny-list: syscalls it does not name are allowed");
	else
		add_points(score, 0, "the seccomp filter is an allow-list");
}

int cli_exposure_score(const struct sh_profile *profile,
		       enum sh_enforce_point point,
		       struct cli_score_reason *reasons, size_t size,
		       size_t *ret_count)
{
	struct score score = { .reasons = reasons, .size = size };
	const char *surface;

	if (profile->unconfined) {
		add_points(&score, 10, "the profile applies nothing");
		*ret_count = score.count;
		return 10;
	}

	score_caps(&score, profile);
	if (!profile->no_new_privs)
		add_points(&score, 2,
			   "no_new_privs is off: setuid programs raise privileges");
	score_seccomp(&score, profile);
	if (cli_allows_user_namespaces(profile, point))
		add_points(&score, 1, "user namespaces can be created");
	if (cli_allows_terminal_injection(profile, point))
		add_points(&score, 1,
			   "TIOCSTI or TIOCLINUX can inject terminal input");
	surface = allowed_kernel_surface(profile, point);
	if (surface)
		add_points(&score, 1,
			   "%s, kernel attack surface, is allowed", surface);

	*ret_count = score.count;
	return score.total > 10 ? 10 : score.total;
}
