// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pam_sechard: confine the session a PAM stack opens.
 *
 * pam_sm_open_session() loads the configuration, resolves PAM_USER to a
 * profile and compiles it; any error refuses the session with nothing
 * applied.  It then arms the controls that wait for the next execve.
 *
 * no_new_privs and the seccomp filter are enforced where the session
 * really starts.  With enforce=child (the default) that is the first PAM
 * call made in a forked child of the process that opened the session:
 * pam_sm_setcred() in sshd's per-user child, or the pam_end(...,
 * PAM_DATA_SILENT) cleanup that su, runuser and login run in the child
 * right before they execute the shell.  The parent, which closes the
 * session later as root, keeps running unconfined.  With enforce=open they
 * apply in the calling process at once, for callers that become the session
 * themselves or give no hook in the child.
 *
 * This file contains no policy.  It turns PAM calls into library calls,
 * and library errors into log lines and PAM codes.
 */
#include <errno.h>
#include <pwd.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "sechard.h"

#define STATE_KEY "pam_sechard_state"

/* The library is built with hidden visibility; only these four are public. */
#define MODULE_ENTRY PAM_EXTERN __attribute__((visibility("default"))) int

struct options {
	const char *config;
	bool debug;
	bool rescue_root;
	enum sh_enforce_point point;
};

/*
 * A page shared by the process that opened the session and all its
 * children, so that the parent can tell at close whether any child
 * enforced the profile.
 */
struct shared_report {
	volatile pid_t enforced_by;
};

struct session_state {
	pid_t opener;
	bool enforced;		/* in this process or an ancestor of it */
	bool reported;		/* the missing-enforcement error was logged */
	bool debug;
	bool in_cleanup;	/* called from pam_end(), not a module hook */
	bool closed_in_child;	/* a child closed the session: see close */
	struct sh_plan *plan;
	struct sh_config *config;	/* the plan points into it */
	struct shared_report *shared;
	char user[SH_ACCOUNT_NAME_MAX + 1];
	char service[64];
	char match[SH_ACCOUNT_NAME_MAX + 64];
};

/*
 * Read the module arguments into *RET.  A bad argument is an error like a
 * bad configuration line, so the caller refuses the session but may still
 * let root in.  Every argument is read first, so that "norescue" counts
 * wherever it appears.
 */
static int parse_options(int argc, const char **argv, struct options *ret,
			 struct sh_error *err)
{
	struct options options = {
		.config = SH_DEFAULT_CONFIG,
		.rescue_root = true,
		.point = SH_ENFORCE_CHILD,
	};
	bool config_seen = false, point_seen = false;
	const char *invalid = NULL, *repeated = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		bool is_config = strncmp(arg, "config=", 7) == 0;
		bool is_point = strcmp(arg, "enforce=child") == 0 ||
				strcmp(arg, "enforce=open") == 0;

		if ((is_config && config_seen) || (is_point && point_seen))
			repeated = repeated ? repeated : arg;

		if (is_config && arg[7] && strlen(arg + 7) < 4096) {
			options.config = arg + 7;
			config_seen = true;
		} else if (strcmp(arg, "debug") == 0) {
			options.debug = true;
		} else if (is_point) {
			options.point = strcmp(arg, "enforce=open") == 0 ?
					SH_ENFORCE_OPEN : SH_ENFORCE_CHILD;
			point_seen = true;
		} else if (strcmp(arg, "norescue") == 0) {
			options.rescue_root = false;
		} else if (!invalid) {
			invalid = arg;
		}
	}

	*ret = options;
	if (invalid)
		return sh_error_set(err, EINVAL, NULL, 0, NULL,
				    "invalid module argument \"%.256s\"; valid: config=PATH, debug, enforce=child|open, norescue",
				    invalid);
	if (repeated)
		return sh_error_set(err, EINVAL, NULL, 0, NULL,
				    "module argument \"%.256s\" repeats an earlier config= or enforce=; give each once",
				    repeated);
	return 0;
}

static void log_refusal(pam_handle_t *pamh, const char *prefix,
			const char *user, const struct sh_error *err)
{
	char text[sizeof(err->file) + sizeof(err->key) + sizeof(err->message) + 32];

	sh_error_format(err, text, sizeof(text));
	pam_syslog(pamh, LOG_ERR, "%srefusing session for user \"%s\": %s",
		   prefix, user[0] ? user : "?", text);
}

static void describe_match(const struct sh_resolution *resolution,
			   char *buf, size_t size)
{
	switch (resolution->kind) {
	case SH_MATCH_USER:
		snprintf(buf, size, "user mapping %s:%u",
			 resolution->mapping->file, resolution->mapping->line);
		break;
	case SH_MATCH_GROUP:
		snprintf(buf, size, "group \"%s\" %s:%u",
			 resolution->mapping->name, resolution->mapping->file,
			 resolution->mapping->line);
		break;
	case SH_MATCH_DEFAULT:
		snprintf(buf, size, "default");
		break;
	}
}

/*
 * libpam names no module while pam_end() runs data cleanups, so lines
 * logged from there carry the module name themselves.
 */
static const char *log_prefix(const struct session_state *state)
{
	return state->in_cleanup ? "pam_sechard: " : "";
}

static void log_applied(pam_handle_t *pamh, const struct session_state *state,
			const char *where)
{
	char controls[512];

	sh_plan_describe(state->plan, controls, sizeof(controls));
	pam_syslog(pamh, LOG_INFO,
		   "%suser \"%s\" service \"%s\": profile \"%s\" (%s): %s; enforced %s",
		   log_prefix(state), state->user, state->service,
		   state->plan->profile_name, state->match, controls, where);
}

static void state_free(struct session_state *state)
{
	if (state->shared)
		munmap(state->shared, sizeof(*state->shared));
	sh_plan_free(state->plan);
	sh_config_free(state->config);
	free(state);
}

/*
 * The child is about to become the session and the profile could not be
 * enforced.  Returning an error is not enough: sshd ignores a failing
 * "auth optional" module and su cannot see a cleanup's result.  Strict
 * seccomp allows only read, write, exit and sigreturn, so the child dies at
 * its next other system call, before it can run a shell.
 */
static void fail_closed(void)
{
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) < 0)
		_exit(EXIT_FAILURE);
}

static int enforce_in_child(pam_handle_t *pamh, struct session_state *state,
			    const char *hook)
{
	struct sh_error err = { 0 };
	char where[96];

	if (sh_plan_enforce(state->plan, &err) < 0) {
		log_refusal(pamh, log_prefix(state), state->user, &err);
		fail_closed();
		return -1;
	}

	state->enforced = true;
	state->shared->enforced_by = getpid();

	snprintf(where, sizeof(where), "in child pid %d at %s", (int)getpid(),
		 hook);
	log_applied(pamh, state, where);
	return 0;
}

static bool filter_waits_for_child(const struct sh_plan *plan)
{
	return plan->nfilters && !plan->seccomp_at_arm;
}

/* True when sh_plan_enforce() has anything left to do after arming. */
static bool child_has_work(const struct sh_plan *plan)
{
	return plan->no_new_privs || filter_waits_for_child(plan);
}

/* List the controls that wait for the child, as "a, b and c". */
static void describe_child_work(const struct sh_plan *plan, char *buf,
				size_t size)
{
	const char *parts[3];
	size_t count = 0, used = 0, i;

	if (plan->no_new_privs)
		parts[count++] = "no_new_privs";
	if (plan->isolate_ptrace)
		parts[count++] = "the ptrace isolation";
	if (filter_waits_for_child(plan))
		parts[count++] = "the seccomp filter";

	buf[0] = '\0';
	for (i = 0; i < count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
					 i == 0 ? "" :
					 i + 1 == count ? " and " : ", ",
					 parts[i]);
}

static void report_unenforced(pam_handle_t *pamh, struct session_state *state)
{
	const struct sh_plan *plan = state->plan;
	char missing[96];

	if (state->reported || state->shared->enforced_by)
		return;

	describe_child_work(plan, missing, sizeof(missing));

	state->reported = true;
	pam_syslog(pamh, LOG_ERR,
		   "%suser \"%s\" service \"%s\": profile \"%s\" was never enforced: no PAM call reached a child of pid %d, so the session ran without %s; for sshd add \"auth optional pam_sechard.so\", for programs without a child hook use enforce=open",
		   log_prefix(state), state->user, state->service,
		   plan->profile_name, (int)state->opener, missing);
}

/*
 * Run at pam_end() and when the data is replaced.  A child that ends its
 * PAM handle with PAM_DATA_SILENT right before execve enforces the profile
 * here.  In the process that opened the session, it only checks that some
 * child did.
 */
static void cleanup_state(pam_handle_t *pamh, void *data, int error_status)
{
	struct session_state *state = data;

	if (error_status & PAM_DATA_REPLACE) {
		state_free(state);
		return;
	}

	state->in_cleanup = true;
	if (getpid() != state->opener) {
		if ((error_status & PAM_DATA_SILENT) && !state->enforced &&
		    !state->closed_in_child)
			enforce_in_child(pamh, state, "pam_end");
	} else {
		report_unenforced(pamh, state);
	}
	state_free(state);
}

static int arm_for_child(pam_handle_t *pamh, struct session_state *state,
			 struct sh_error *err)
{
	int r;

	state->shared = mmap(NULL, sizeof(*state->shared),
			     PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (state->shared == MAP_FAILED) {
		state->shared = NULL;
		return sh_error_set(err, errno, NULL, 0, NULL,
				    "mmap failed: %s", strerror(errno));
	}

	/* Registered before anything changes, so a failure leaves no trace. */
	r = pam_set_data(pamh, STATE_KEY, state, cleanup_state);
	if (r != PAM_SUCCESS)
		return sh_error_set(err, ENOMEM, NULL, 0, NULL,
				    "pam_set_data failed: %s",
				    pam_strerror(pamh, r));

	r = sh_plan_arm(state->plan, err);
	if (r < 0)
		return r;

	if (state->debug)
		pam_syslog(pamh, LOG_DEBUG,
			   "user \"%s\": profile \"%s\" armed in pid %d, enforcement waits for a child",
			   state->user, state->plan->profile_name,
			   (int)state->opener);
	return 0;
}

static int load_plan(pam_handle_t *pamh, const struct options *options,
		     struct session_state *state, struct sh_error *err)
{
	struct sh_resolution resolution;
	int r;

	r = sh_config_load(options->config, &state->config, err);
	if (r < 0)
		return r;

	r = sh_resolve_user(state->config, state->user, &resolution, err);
	if (r < 0)
		return r;
	describe_match(&resolution, state->match, sizeof(state->match));

	return sh_plan_build(resolution.profile, options->point, &state->plan,
			     err);
}

static int read_items(pam_handle_t *pamh, struct session_state *state,
		      struct sh_error *err)
{
	const char *user = NULL, *service = NULL;

	if (pam_get_item(pamh, PAM_USER, (const void **)&user) != PAM_SUCCESS ||
	    !user || !user[0])
		return sh_error_set(err, EINVAL, NULL, 0, "PAM_USER",
				    "no user name set");
	if (strlen(user) > SH_ACCOUNT_NAME_MAX)
		return sh_error_set(err, ENAMETOOLONG, NULL, 0, "PAM_USER",
				    "user name too long");
	snprintf(state->user, sizeof(state->user), "%s", user);

	if (pam_get_item(pamh, PAM_SERVICE, (const void **)&service) !=
		    PAM_SUCCESS || !service)
		service = "?";
	snprintf(state->service, sizeof(state->service), "%s", service);
	return 0;
}

static bool is_root(const char *user)
{
	struct passwd entry, *result = NULL;
	char buffer[16384];

	return getpwnam_r(user, &entry, buffer, sizeof(buffer), &result) == 0 &&
	       result && result->pw_uid == 0;
}

/*
 * A broken configuration refuses every session, so one typo would lock the
 * whole host out.  Root alone is let in, unconfined and loudly logged, as
 * long as nothing was applied yet, so that the file can be repaired.
 * "norescue" turns this off for hosts that prefer a lockout.
 */
static bool rescue_root(pam_handle_t *pamh, const struct options *options,
			const struct session_state *state,
			const struct sh_error *err)
{
	char text[sizeof(err->file) + sizeof(err->key) + sizeof(err->message) + 32];

	if (!options->rescue_root || !state->user[0] || !is_root(state->user))
		return false;

	sh_error_format(err, text, sizeof(text));
	pam_syslog(pamh, LOG_ERR,
		   "user \"%s\" service \"%s\": %s; letting root in unconfined so that the configuration can be repaired",
		   state->user, state->service, text);
	return true;
}

static bool is_registered(pam_handle_t *pamh,
			  const struct session_state *state)
{
	const void *data = NULL;

	return pam_get_data(pamh, STATE_KEY, &data) == PAM_SUCCESS &&
	       data == state;
}

MODULE_ENTRY pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	struct sh_error err = { 0 }, items_err = { 0 };
	struct session_state *state;
	struct options options;
	int r, items;

	state = calloc(1, sizeof(*state));
	if (!state) {
		pam_syslog(pamh, LOG_CRIT, "refusing session: out of memory");
		return PAM_BUF_ERR;
	}
	state->opener = getpid();

	/* the user is read first, so that a bad argument can still rescue root */
	r = parse_options(argc, argv, &options, &err);
	state->debug = options.debug;
	items = read_items(pamh, state, &items_err);
	if (r == 0 && items < 0) {
		err = items_err;
		r = items;
	}
	if (r == 0)
		r = load_plan(pamh, &options, state, &err);
	if (r < 0 && rescue_root(pamh, &options, state, &err)) {
		state_free(state);
		return PAM_SUCCESS;
	}
	if (r < 0)
		goto refuse;

	if (state->plan->unconfined) {
		log_applied(pamh, state, "nowhere: nothing to apply");
		state_free(state);
		return PAM_SUCCESS;
	}

	if (options.point == SH_ENFORCE_CHILD && child_has_work(state->plan)) {
		r = arm_for_child(pamh, state, &err);
		if (r < 0)
			goto refuse;
		return PAM_SUCCESS;
	}

	/*
	 * enforce=open, or nothing waits for a child: the filter of a profile
	 * without no_new_privs is loaded by sh_plan_arm() already.
	 */
	r = sh_plan_arm(state->plan, &err);
	if (r == 0)
		r = sh_plan_enforce(state->plan, &err);
	if (r < 0)
		goto refuse;
	log_applied(pamh, state, "at open in the calling process");
	state_free(state);
	return PAM_SUCCESS;

refuse:
	log_refusal(pamh, "", state->user, &err);
	if (is_registered(pamh, state))
		/* replacing the data frees the state without enforcing */
		pam_set_data(pamh, STATE_KEY, NULL, NULL);
	else
		state_free(state);
	return PAM_SESSION_ERR;
}

MODULE_ENTRY pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				    const char **argv)
{
	struct session_state *state = NULL;

	if (pam_get_data(pamh, STATE_KEY, (const void **)&state) !=
		    PAM_SUCCESS || !state)
		return PAM_SUCCESS;

	/*
	 * A child that closes the session means the process that opened it
	 * went on to become the session itself, as systemd's user@ service
	 * does: no hook in a child can confine that, so the error is logged
	 * here, and the child's own pam_end() must not claim enforcement.
	 */
	if (getpid() != state->opener)
		state->closed_in_child = true;
	report_unenforced(pamh, state);
	pam_syslog(pamh, LOG_INFO, "user \"%s\" service \"%s\": session closed",
		   state->user, state->service);
	return PAM_SUCCESS;
}

/*
 * In sshd the only PAM call that reaches the per-user child is
 * pam_setcred(), which libpam runs through the auth stack.  That is why
 * sshd needs the "auth optional pam_sechard.so" line and this entry point.
 */
MODULE_ENTRY pam_sm_setcred(pam_handle_t *pamh, int flags, int argc,
			      const char **argv)
{
	struct session_state *state = NULL;

	if (!(flags & (PAM_ESTABLISH_CRED | PAM_REINITIALIZE_CRED |
		       PAM_REFRESH_CRED)))
		return PAM_IGNORE;
	if (pam_get_data(pamh, STATE_KEY, (const void **)&state) !=
		    PAM_SUCCESS || !state)
		return PAM_IGNORE;
	if (getpid() == state->opener || state->enforced)
		return PAM_IGNORE;

	return enforce_in_child(pamh, state, "pam_setcred") == 0 ?
		       PAM_SUCCESS :
		       PAM_CRED_ERR;
}

/* Authentication is not ours to decide. */
MODULE_ENTRY pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	return PAM_IGNORE;
}
