// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * LSM exec contexts.  Both are per-thread attributes that the next execve
 * consumes, so the login program's own process keeps its label.
 *
 * A profile that names a context for an LSM the kernel has not enabled is
 * an error: running the session without the label it asks for would apply
 * less than the configuration says.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <selinux/selinux.h>
#include <sys/apparmor.h>

#include "lsm.h"

#define APPARMOR_PROFILES "/sys/kernel/security/apparmor/profiles"

int sh_lsm_check_selinux(const char *context, const struct sh_source *source,
			 struct sh_error *err)
{
	if (is_selinux_enabled() <= 0)
		return sh_error_set(err, EOPNOTSUPP, source->file, source->line,
				    "selinux_exec_context",
				    "SELinux is not enabled on this kernel");

	if (security_check_context(context) < 0)
		return sh_error_set(err, EINVAL, source->file, source->line,
				    "selinux_exec_context",
				    "context \"%s\" is not valid in the loaded policy",
				    context);
	return 0;
}

/* The kernel lists loaded profiles as "NAME (MODE)", one per line. */
static bool apparmor_profile_loaded(const char *name)
{
	char line[4096];
	size_t len = strlen(name);
	bool found = false;
	FILE *profiles;

	profiles = fopen(APPARMOR_PROFILES, "re");
	if (!profiles)
		return false;
	while (!found && fgets(line, sizeof(line), profiles))
		found = strncmp(line, name, len) == 0 && line[len] == ' ' &&
			line[len + 1] == '(';
	fclose(profiles);
	return found;
}

int sh_lsm_check_apparmor(const char *profile, const struct sh_source *source,
			  struct sh_error *err)
{
	if (aa_is_enabled() <= 0)
		return sh_error_set(err, EOPNOTSUPP, source->file, source->line,
				    "apparmor_exec_profile",
				    "AppArmor is not enabled on this kernel");

	if (!apparmor_profile_loaded(profile))
		return sh_error_set(err, ENOENT, source->file, source->line,
				    "apparmor_exec_profile",
				    "AppArmor profile \"%s\" is not loaded",
				    profile);
	return 0;
}

int sh_lsm_arm(const char *selinux_context, const char *apparmor_profile,
	       struct sh_error *err)
{
	if (selinux_context && setexeccon(selinux_context) < 0)
		return sh_error_set(err, errno, NULL, 0, "selinux_exec_context",
				    "setexeccon(\"%s\") failed: %s",
				    selinux_context, strerror(errno));

	if (apparmor_profile && aa_change_onexec(apparmor_profile) < 0)
		return sh_error_set(err, errno, NULL, 0, "apparmor_exec_profile",
				    "aa_change_onexec(\"%s\") failed: %s",
				    apparmor_profile, strerror(errno));
	return 0;
}
