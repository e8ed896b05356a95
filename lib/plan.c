// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Plans: one profile compiled for one session, and the two steps that
 * apply it.
 *
 * Everything that can fail for a reason other than the kernel refusing is
 * done in sh_plan_build(), before the process changes: a session with a bad
 * profile is refused with nothing applied.  The seccomp filters are turned
 * into BPF here as well, so that enforcement in a freshly forked child only
 * makes system calls and allocates nothing.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cache.h"
#include "caps.h"
#include "landlock.h"
#include "lsm.h"
#include "sechard.h"

static int build_filters(struct sh_plan *plan, const struct sh_profile *profile,
			 struct sh_error *err)
{
	enum sh_enforce_point point = plan->seccomp_at_arm ? SH_ENFORCE_OPEN :
							      plan->point;
	const char *const *allowance = sh_enforce_allowance(point);
	char *key = NULL;
	size_t key_len = 0;
	int r;

	/*
	 * Compiling a large allow-list takes libseccomp milliseconds, so
	 * root's sessions reuse the BPF an earlier login compiled from the
	 * very same input.  Any cache failure just means compiling.
	 */
	if (geteuid() == 0 &&
	    sh_cache_describe(&profile->seccomp, allowance, point, &key,
			      &key_len) == 0 &&
	    sh_cache_load(key, key_len, plan->filters, SH_FILTERS_MAX,
			  &plan->nfilters) == 0) {
		free(key);
		return 0;
	}

	r = sh_filter_compile(&profile->seccomp, allowance, plan->filters,
			      &plan->nfilters, err);
	if (r == 0 && key)
		sh_cache_store(key, key_len, plan->filters, plan->nfilters);
	free(key);

	/* Messages from the builder name the profile's seccomp line. */
	if (r < 0 && err && !err->file[0] && profile->src_seccomp.file) {
		snprintf(err->file, sizeof(err->file), "%s",
			 profile->src_seccomp.file);
		err->line = profile->src_seccomp.line;
	}
	return r;
}

static int check_profile(const struct sh_profile *profile,
			 enum sh_enforce_point point, struct sh_error *err)
{
	int r;

	if (profile->selinux_exec_context) {
		r = sh_lsm_check_selinux(profile->selinux_exec_context,
					 &profile->src_selinux, err);
		if (r < 0)
			return r;
	}
	if (profile->apparmor_exec_profile) {
		r = sh_lsm_check_apparmor(profile->apparmor_exec_profile,
					  &profile->src_apparmor, err);
		if (r < 0)
			return r;
	}

	/*
	 * Entering a Landlock domain needs no_new_privs or CAP_SYS_ADMIN, and
	 * the session's child has only the first.
	 */
	if (profile->isolate_ptrace && !profile->no_new_privs)
		return sh_error_set(err, EINVAL,
				    profile->src_isolate_ptrace.file,
				    profile->src_isolate_ptrace.line,
				    "isolate_ptrace",
				    "profile \"%s\": isolate_ptrace needs no_new_privs = yes",
				    profile->name);
	if (profile->isolate_ptrace) {
		r = sh_landlock_check(&profile->src_isolate_ptrace, err);
		if (r < 0)
			return r;
	}

	/*
	 * An allow-list strict enough for a shell would stop the login
	 * program that opened the session, so without no_new_privs (which
	 * lets the child load it) it cannot be placed anywhere safe.
	 */
	if (profile->seccomp.mode == SH_SECCOMP_ALLOWLIST &&
	    !profile->no_new_privs && point == SH_ENFORCE_CHILD)
		return sh_error_set(err, EINVAL, profile->src_seccomp.file,
				    profile->src_seccomp.line, "seccomp",
				    "profile \"%s\": an allow-list needs no_new_privs = yes unless the module runs with enforce=open",
				    profile->name);
	return 0;
}

static int copy_label(char **dst, const char *src)
{
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

int sh_plan_build(const struct sh_profile *profile,
		  enum sh_enforce_point point, struct sh_plan **ret,
		  struct sh_error *err)
{
	struct sh_plan *plan;
	int r;

	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return sh_error_set(err, ENOMEM, NULL, 0, NULL, "out of memory");

	plan->profile_name = profile->name;
	plan->point = point;
	plan->unconfined = profile->unconfined;
	if (profile->unconfined)
		goto out;

	r = check_profile(profile, point, err);
	if (r < 0)
		goto fail;

	plan->caps_keep_all = profile->caps_keep_all;
	plan->caps_keep = profile->caps_keep;
	plan->no_new_privs = profile->no_new_privs;
	plan->isolate_ptrace = profile->isolate_ptrace;
	if (copy_label(&plan->selinux_exec_context,
		       profile->selinux_exec_context) < 0 ||
	    copy_label(&plan->apparmor_exec_profile,
		       profile->apparmor_exec_profile) < 0) {
		r = sh_error_set(err, ENOMEM, NULL, 0, NULL, "out of memory");
		goto fail;
	}

	if (profile->seccomp.mode != SH_SECCOMP_OFF) {
		plan->seccomp_at_arm = !profile->no_new_privs &&
				       point == SH_ENFORCE_CHILD;
		plan->seccomp_log_denied = profile->seccomp.log_denied;
		r = build_filters(plan, profile, err);
		if (r < 0)
			goto fail;
	}
out:
	*ret = plan;
	return 0;
fail:
	sh_plan_free(plan);
	return r;
}

void sh_plan_free(struct sh_plan *plan)
{
	unsigned int i;

	if (!plan)
		return;
	for (i = 0; i < plan->nfilters; i++)
		free(plan->filters[i].insns);
	free(plan->selinux_exec_context);
	free(plan->apparmor_exec_profile);
	free(plan);
}

static int load_filters(const struct sh_plan *plan, struct sh_error *err)
{
	unsigned int flags = plan->seccomp_log_denied ?
			     SECCOMP_FILTER_FLAG_LOG : 0;
	unsigned int i;

	for (i = 0; i < plan->nfilters; i++) {
		struct sock_fprog program = {
			.len = plan->filters[i].len,
			.filter = plan->filters[i].insns,
		};

		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags,
			    &program) < 0)
			return sh_error_set(err, errno, NULL, 0, "seccomp",
					    errno == EACCES ?
						    "loading a seccomp filter needs no_new_privs or CAP_SYS_ADMIN" :
						    "cannot load seccomp filter %u: %s",
					    i + 1, strerror(errno));
	}
	return 0;
}

int sh_plan_arm(const struct sh_plan *plan, struct sh_error *err)
{
	int r;

	if (plan->unconfined)
		return 0;

	r = sh_caps_arm(plan->caps_keep_all, plan->caps_keep, err);
	if (r < 0)
		return r;

	r = sh_lsm_arm(plan->selinux_exec_context, plan->apparmor_exec_profile,
		       err);
	if (r < 0)
		return r;

	/* Last, so that nothing above runs under the filter. */
	if (plan->seccomp_at_arm)
		return load_filters(plan, err);
	return 0;
}

int sh_plan_enforce(const struct sh_plan *plan, struct sh_error *err)
{
	if (plan->unconfined)
		return 0;

	if (plan->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sh_error_set(err, errno, NULL, 0, "no_new_privs",
				    "prctl(PR_SET_NO_NEW_PRIVS) failed: %s",
				    strerror(errno));

	if (plan->isolate_ptrace) {
		int r = sh_landlock_isolate_ptrace(err);

		if (r < 0)
			return r;
	}

	/* The filter comes last: nothing after it may need a denied call. */
	if (!plan->seccomp_at_arm)
		return load_filters(plan, err);
	return 0;
}

static void describe_caps(const struct sh_plan *plan, char *buf, size_t size)
{
	int count = __builtin_popcountll(plan->caps_keep);

	if (plan->caps_keep_all)
		snprintf(buf, size, "all");
	else if (!count)
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "%d kept", count);
}

int sh_plan_describe(const struct sh_plan *plan, char *buf, size_t size)
{
	char caps[32];

	if (plan->unconfined)
		return snprintf(buf, size, "unconfined");

	describe_caps(plan, caps, sizeof(caps));
	return snprintf(buf, size,
			"caps=%s nnp=%s ptrace=%s selinux=%s apparmor=%s seccomp=%u filter%s%s",
			caps, plan->no_new_privs ? "yes" : "no",
			plan->isolate_ptrace ? "session" : "kernel",
			plan->selinux_exec_context ? plan->selinux_exec_context : "-",
			plan->apparmor_exec_profile ? plan->apparmor_exec_profile : "-",
			plan->nfilters, plan->nfilters == 1 ? "" : "s",
			plan->seccomp_at_arm ? " (loaded at open)" : "");
}
