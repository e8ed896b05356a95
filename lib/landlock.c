// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * isolate_ptrace: keep a session from tracing, debugging or writing the
 * memory of processes it did not start.
 *
 * Seccomp can deny ptrace(2), but not the open of /proc/PID/mem, and the
 * kernel lets a process write the memory of any other process of the same
 * user unless Yama is enabled.  Code written into an unconfined process of
 * the user (a cron job, "systemd --user", another login) runs without the
 * profile.  A Landlock domain closes that whatever the kernel's Yama
 * setting: a process in a domain may ptrace, or open the memory of, only
 * processes in the same domain or in domains nested in it, which are the
 * processes the session started.
 *
 * The domain is made to restrict nothing else a profile without
 * capabilities could do.  Landlock needs at least one handled file-system
 * right: it handles creating block devices and reparenting files (REFER),
 * and a rule on "/" grants both everywhere.  REFER must be granted
 * explicitly, because Landlock denies cross-directory renames and links to
 * any domain that does not, from ABI 2 (Linux 5.19) on.  Landlock also
 * denies mount(2) and the like to a process whose domain handles
 * file-system rights, as this one does.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"

/* The oldest Landlock ABI with LANDLOCK_ACCESS_FS_REFER. */
#define LANDLOCK_ABI_REFER 2

#define ISOLATION_ACCESS \
	(LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_REFER)

static long landlock_abi(void)
{
	return syscall(SYS_landlock_create_ruleset, NULL, 0,
		       LANDLOCK_CREATE_RULESET_VERSION);
}

int sh_landlock_check(const struct sh_source *source, struct sh_error *err)
{
	long abi = landlock_abi();

	if (abi < 0)
		return sh_error_set(err, EOPNOTSUPP, source->file, source->line,
				    "isolate_ptrace",
				    "Landlock is not enabled on this kernel (%s); add it to the kernel's lsm= list or set isolate_ptrace = no",
				    strerror(errno));
	if (abi < LANDLOCK_ABI_REFER)
		return sh_error_set(err, EOPNOTSUPP, source->file, source->line,
				    "isolate_ptrace",
				    "Landlock ABI %ld is too old: isolate_ptrace needs ABI %d (Linux 5.19) so that files can still move between folders",
				    abi, LANDLOCK_ABI_REFER);
	return 0;
}

/* Create the ruleset that grants its handled rights everywhere. */
static int make_ruleset(struct sh_error *err)
{
	struct landlock_ruleset_attr ruleset = {
		.handled_access_fs = ISOLATION_ACCESS,
	};
	struct landlock_path_beneath_attr everywhere = {
		.allowed_access = ISOLATION_ACCESS,
	};
	int ruleset_fd, r;

	ruleset_fd = (int)syscall(SYS_landlock_create_ruleset, &ruleset,
				  sizeof(ruleset), 0);
	if (ruleset_fd < 0)
		return sh_error_set(err, errno, NULL, 0, "isolate_ptrace",
				    "landlock_create_ruleset failed: %s",
				    strerror(errno));

	everywhere.parent_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (everywhere.parent_fd < 0) {
		r = sh_error_set(err, errno, NULL, 0, "isolate_ptrace",
				 "cannot open /: %s", strerror(errno));
		close(ruleset_fd);
		return r;
	}
	r = (int)syscall(SYS_landlock_add_rule, ruleset_fd,
			 LANDLOCK_RULE_PATH_BENEATH, &everywhere, 0);
	if (r < 0)
		r = sh_error_set(err, errno, NULL, 0, "isolate_ptrace",
				 "landlock_add_rule failed: %s",
				 strerror(errno));
	close(everywhere.parent_fd);
	if (r < 0) {
		close(ruleset_fd);
		return r;
	}
	return ruleset_fd;
}

int sh_landlock_isolate_ptrace(struct sh_error *err)
{
	int ruleset_fd, r = 0;

	ruleset_fd = make_ruleset(err);
	if (ruleset_fd < 0)
		return ruleset_fd;

	if (syscall(SYS_landlock_restrict_self, ruleset_fd, 0) < 0)
		r = sh_error_set(err, errno, NULL, 0, "isolate_ptrace",
				 "landlock_restrict_self failed: %s",
				 strerror(errno));
	close(ruleset_fd);
	return r;
}
