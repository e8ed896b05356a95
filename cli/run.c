// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sechard run: run a command confined as a login of a user would be.
 *
 * The steps follow a login through su or runuser with the module under
 * enforce=child: the profile is compiled and armed in the parent (bounding
 * set, inheritable and ambient sets, LSM exec contexts, and the seccomp
 * filter when no_new_privs is off), the parent forks, the child switches
 * to the user and enforces no_new_privs and the filter, then executes the
 * command.  With --enforce open everything is applied in the parent before
 * the fork, as the module does in the process that opens the session.
 * The parent waits and passes on the command's exit status.
 *
 * NOTE: no PAM session is opened, so the other modules of a login stack
 * (pam_limits, pam_env, pam_loginuid, pam_systemd) do not run; only
 * pam_sechard's controls and the identity switch are reproduced.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

/* Most supplementary groups we pass on; the kernel's NGROUPS_MAX. */
#define RUN_GROUPS_MAX 65536

struct target {
	const char *user;	/* -u */
	const char *profile;	/* -p */
	char **command;
	/* the account, looked up before anything is confined */
	bool switch_user;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int ngroups;
	char *home;
	char *shell;
	char *name;
};

static int lookup_account(struct target *target)
{
	struct passwd *entry;
	int count = 64;

	errno = 0;
	entry = getpwnam(target->user);
	if (!entry) {
		cli_fail("user \"%s\" not found%s%s", target->user,
			 errno ? ": " : "", errno ? strerror(errno) : "");
		return -ENOENT;
	}
	target->uid = entry->pw_uid;
	target->gid = entry->pw_gid;
	target->name = strdup(entry->pw_name);
	target->home = strdup(entry->pw_dir);
	target->shell = strdup(entry->pw_shell);
	if (!target->name || !target->home || !target->shell)
		return -ENOMEM;

	/* the groups initgroups(3) would set, resolved before confinement */
	for (;;) {
		int previous = count;
		gid_t *grown = realloc(target->groups,
				       (size_t)count * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		target->groups = grown;
		if (getgrouplist(target->name, target->gid, target->groups,
				 &count) >= 0)
			break;
		if (count <= previous)
			count = previous * 2;
		if (count > RUN_GROUPS_MAX) {
			cli_fail("user \"%s\" is in more than %d groups",
				 target->name, RUN_GROUPS_MAX);
			return -E2BIG;
		}
	}
	target->ngroups = count;
	target->switch_user = true;
	return 0;
}

/* In the child: become the user as su and runuser do, root last. */
static int switch_identity(const struct target *target)
{
	if (setgroups((size_t)target->ngroups, target->groups) < 0 ||
	    setgid(target->gid) < 0 || setuid(target->uid) < 0) {
		fprintf(stderr, "sechard: cannot switch to user \"%s\": %s\n",
			target->name, strerror(errno));
		return -1;
	}
	if (setenv("HOME", target->home, 1) < 0 ||
	    setenv("SHELL", target->shell, 1) < 0 ||
	    setenv("USER", target->name, 1) < 0 ||
	    setenv("LOGNAME", target->name, 1) < 0)
		return -1;
	return 0;
}

static void run_child(const struct target *target, const struct sh_plan *plan,
		      enum sh_enforce_point point)
{
	struct sh_error err = { 0 };

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);

	if (target->switch_user && switch_identity(target) < 0)
		_exit(126);

	if (point == SH_ENFORCE_CHILD && sh_plan_enforce(plan, &err) < 0) {
		cli_print_error(stderr, &err);
		_exit(126);
	}

	execvp(target->command[0], target->command);
	fprintf(stderr, "sechard: cannot execute %s: %s\n", target->command[0],
		strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int wait_child(pid_t child)
{
	int status;

	/* the terminal's signals reach the child; the parent outlives it */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);

	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			cli_fail("waitpid failed: %s", strerror(errno));
			return EXIT_PROBLEMS;
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static bool is_permission_error(int r)
{
	return r == -EPERM || r == -EACCES;
}

/* Arm (and with enforce=open, enforce) in this process, then fork. */
static int confine_and_run(const struct cli_options *options,
			   const struct target *target,
			   const struct sh_plan *plan)
{
	struct sh_error err = { 0 };
	pid_t child;
	int r;

	r = sh_plan_arm(plan, &err);
	if (r == 0 && options->point == SH_ENFORCE_OPEN)
		r = sh_plan_enforce(plan, &err);
	if (r < 0) {
		cli_print_error(stderr, &err);
		if (is_permission_error(r)) {
			cli_fail("not permitted: applying this profile needs root (CAP_SETPCAP, and CAP_SYS_ADMIN for a filter without no_new_privs)");
			return EXIT_NOT_PERMITTED;
		}
		return EXIT_PROBLEMS;
	}

	fflush(NULL);
	child = fork();
	if (child < 0) {
		cli_fail("fork failed: %s", strerror(errno));
		return EXIT_PROBLEMS;
	}
	if (child == 0)
		run_child(target, plan, options->point);
	return wait_child(child);
}

static int parse_run_args(struct cli_options *options, struct target *target,
			  int argc, char **argv)
{
	enum { OPT_USER = 'u', OPT_PROFILE = 'p' };
	static const struct option table[] = {
		CLI_COMMON_OPTIONS,
		{ "user", required_argument, NULL, OPT_USER },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	/* "+": the command's own options are not ours */
	while ((c = getopt_long(argc, argv, "+hu:p:", table, NULL)) != -1) {
		if (c == OPT_USER) {
			target->user = optarg;
			continue;
		}
		if (c == OPT_PROFILE) {
			target->profile = optarg;
			continue;
		}
		r = cli_common_option(options, c, optarg);
		if (r != CLI_HANDLED)
			return r;
	}
	if (!target->user && !target->profile) {
		cli_fail("run needs -u USER or -p PROFILE");
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		cli_fail("run needs a command after \"--\"");
		return EXIT_USAGE;
	}
	if (options->json) {
		cli_fail("--json does not apply to run: the output is the command's");
		return EXIT_USAGE;
	}
	target->command = argv + optind;
	return -1;
}

static int pick_profile(const struct sh_config *config,
			const struct target *target,
			const struct sh_profile **ret)
{
	struct sh_resolution resolution;
	struct sh_error err = { 0 };

	if (target->profile) {
		*ret = sh_config_find_profile(config, target->profile);
		if (!*ret) {
			cli_fail_profile_not_found(config, target->profile);
			return -ENOENT;
		}
		return 0;
	}
	if (sh_resolve_user(config, target->user, &resolution, &err) < 0) {
		cli_print_error(stderr, &err);
		return -ENOENT;
	}
	*ret = resolution.profile;
	return 0;
}

static void target_free(struct target *target)
{
	free(target->groups);
	free(target->home);
	free(target->shell);
	free(target->name);
}

int cmd_run(struct cli_options *options, int argc, char **argv)
{
	const struct sh_profile *profile;
	struct target target = { 0 };
	struct sh_config *config = NULL;
	struct sh_plan *plan = NULL;
	struct sh_error err = { 0 };
	int status;

	status = parse_run_args(options, &target, argc, argv);
	if (status >= 0)
		return status;

	if (target.user && geteuid() != 0) {
		cli_fail("not permitted: switching to another user needs root");
		return EXIT_NOT_PERMITTED;
	}

	status = EXIT_PROBLEMS;
	if (cli_load_config(options, &config) < 0)
		goto out;
	if (pick_profile(config, &target, &profile) < 0)
		goto out;
	if (target.user && lookup_account(&target) < 0)
		goto out;
	if (sh_plan_build(profile, options->point, &plan, &err) < 0) {
		cli_print_error(stderr, &err);
		goto out;
	}

	status = confine_and_run(options, &target, plan);
out:
	sh_plan_free(plan);
	sh_config_free(config);
	target_free(&target);
	return status;
}
