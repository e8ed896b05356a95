// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sechard explain USER: which rule picks USER's profile, and everything
 * that profile applies at the chosen enforcement point, down to the
 * verdict of each native syscall, simulated on the compiled filters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Native syscall numbers scanned for names; x86_64 ends near 470. */
#define SYSCALL_NR_MAX 1023

struct explain {
	const struct cli_options *options;
	const char *user;
	const char *service;
	const struct sh_config *config;
	struct sh_resolution resolution;
	const struct sh_profile *profile;
	struct sh_plan *plan;
	const char *const *allowance;	/* the one the filter is built with */
};

static const char *match_kind_name(enum sh_match_kind kind)
{
	switch (kind) {
	case SH_MATCH_USER:
		return "user";
	case SH_MATCH_GROUP:
		return "group";
	default:
		return "default";
	}
}

static const char *source_name(enum cli_verdict_source source)
{
	switch (source) {
	case CLI_FROM_RULE:
		return "rule";
	case CLI_FROM_ALLOWANCE:
		return "enforcement allowance";
	case CLI_FROM_SECOND_LOAD:
		return "needed to load the second filter";
	case CLI_FROM_COND_ALLOW:
		return "conditional allow";
	case CLI_FROM_FILTER:
		return "compiled filter";
	default:
		return "default";
	}
}

static const char *mode_name(enum sh_seccomp_mode mode)
{
	switch (mode) {
	case SH_SECCOMP_ALLOWLIST:
		return "allowlist";
	case SH_SECCOMP_DENYLIST:
		return "denylist";
	default:
		return "off";
	}
}

/* ------------------------------------------------------------------------ */
/* Text output */

static void print_match(const struct explain *ex)
{
	const struct sh_resolution *res = &ex->resolution;
	const struct sh_config *config = ex->config;
	size_t i;

	printf("user:      %s\n", ex->user);
	if (ex->service)
		printf("service:   %s (the profile does not depend on the service)\n",
		       ex->service);
	printf("enforce:   %s\n", cli_point_name(ex->options->point));
	printf("profile:   %s\n", ex->profile->name);

	switch (res->kind) {
	case SH_MATCH_USER:
		printf("chosen by: [users] line naming \"%s\" at %s:%u\n",
		       res->mapping->name, res->mapping->file,
		       res->mapping->line);
		break;
	case SH_MATCH_GROUP:
		printf("chosen by: [groups] line naming group \"%s\" at %s:%u, the first that names one of the user's groups\n",
		       res->mapping->name, res->mapping->file,
		       res->mapping->line);
		break;
	default:
		printf("chosen by: [global] default at %s:%u, because no [users] or [groups] line names the user\n",
		       config->default_file ? config->default_file : "?",
		       config->default_line);
		break;
	}

	for (i = 0; i < res->nlosing; i++)
		printf("lost:      group \"%s\" -> profile \"%s\" at %s:%u\n",
		       res->losing[i]->name, res->losing[i]->profile->name,
		       res->losing[i]->file, res->losing[i]->line);
	if (ex->profile->inherit)
		printf("inherits:  profile \"%s\" (%s:%u)\n",
		       ex->profile->inherit, ex->profile->src_inherit.file,
		       ex->profile->src_inherit.line);
}

static void print_caps(const struct sh_plan *plan)
{
	printf("bounding set:   ");
	if (plan->caps_keep_all)
		printf("all");
	else if (!plan->caps_keep)
		printf("none");
	else
		cli_caps_print(stdout, plan->caps_keep);
	printf("\n");
	printf("inheritable:    %s\n", plan->caps_keep_all ?
					      "unchanged" :
					      "cleared except the kept capabilities");
	printf("ambient set:    cleared\n");
}

static void print_verdict(const struct cli_verdict *verdict)
{
	char action[32], conds[512];
	unsigned int i;

	sh_action_describe(verdict->action, action, sizeof(action));
	printf("  %-24s %s", verdict->name, action);
	if (verdict->rule && verdict->rule->file)
		printf(" (%s:%u)", verdict->rule->file, verdict->rule->line);
	else if (verdict->source != CLI_FROM_RULE)
		printf(" (%s)", source_name(verdict->source));
	if (verdict->nconds)
		printf(", depends on arguments");

	for (i = 0; i < verdict->nconds; i++) {
		const struct sh_rule *rule = verdict->conds[i].rule;

		sh_action_describe(verdict->conds[i].action, action,
				sizeof(action));
		cli_rule_conditions(rule, conds, sizeof(conds));
		printf("; %s %s %s", action,
		       cli_rule_is_unless(rule) ? "unless" : "if", conds);
		if (rule->file)
			printf(" (%s:%u)", rule->file, rule->line);
	}
	if (verdict->conds_truncated)
		printf("; more conditions not shown");
	printf("\n");
}

/*
 * Call FN for the verdict of every syscall the native architecture has,
 * simulated on the compiled filters.  Returns 0 or the negative errno of
 * the first simulation that failed, after printing it.
 */
static int for_each_verdict(const struct explain *ex,
			    void (*fn)(const struct cli_verdict *verdict,
				       void *data),
			    void *data)
{
	uint32_t arch = seccomp_arch_native();
	struct cli_verdict verdict;
	int nr, r;

	for (nr = 0; nr <= SYSCALL_NR_MAX; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(arch, nr);

		if (!name)
			continue;
		r = cli_verdict_get(ex->plan, &ex->profile->seccomp,
				    ex->allowance, nr, name, &verdict);
		free(name);
		if (r < 0) {
			cli_fail("cannot simulate the compiled seccomp filter for syscall %d: %s",
				 nr, strerror(-r));
			return r;
		}
		fn(&verdict, data);
	}
	return 0;
}

static void print_verdict_cb(const struct cli_verdict *verdict, void *data)
{
	print_verdict(verdict);
}

static void print_list(const char *const *list)
{
	const char *separator = "";

	for (; list && *list; list++) {
		printf("%s%s", separator, *list);
		separator = ", ";
	}
	printf("\n");
}

/*
 * Print the session's ptrace access.  The filter may deny ptrace(2)
 * itself, and isolate_ptrace limits every ptrace-style access, such as
 * opening /proc/PID/mem, to the session's own processes.
 */
static void print_ptrace(const struct sh_plan *plan)
{
	static const uint64_t attach[6] = { 16 /* PTRACE_ATTACH */ };
	uint32_t action = SECCOMP_RET_ALLOW;
	bool denied;

	denied = plan->nfilters &&
		 cli_plan_call(plan, "ptrace", attach, &action) == 0 &&
		 !cli_action_allows(action);
	printf("ptrace:         %s%s\n",
	       denied ? "ptrace(2) denied by the filter; " : "",
	       plan->isolate_ptrace ?
		       "ptrace access (/proc/PID/mem ...) to the session's own processes only (isolate_ptrace)" :
		       "ptrace access as the kernel allows (isolate_ptrace = no)");
}

static int print_seccomp(const struct explain *ex)
{
	const struct sh_seccomp_policy *policy = &ex->profile->seccomp;
	enum sh_enforce_point point;
	unsigned int layers = 0;
	char action[32], merged[64] = "";
	int r;

	printf("seccomp:        %s%s\n", mode_name(policy->mode),
	       policy->complain ? ", complain mode (logs, denies nothing)" :
				  "");
	if (policy->mode == SH_SECCOMP_OFF)
		return 0;

	sh_action_describe(cli_policy_default_action(policy), action,
			sizeof(action));
	printf("default action: %s%s\n", action,
	       policy->mode == SH_SECCOMP_DENYLIST ?
		       " (for deny rules without their own action)" :
		       "");
	printf("denied calls:   %s\n",
	       policy->log_denied ?
		       "every denial logged through the audit subsystem (seccomp_log_denied)" :
		       "kill and log actions logged, as the kernel always does; errno denials not logged (seccomp_log_denied = no)");
	if (ex->plan->nfilters == 1 &&
	    cli_count_layers(ex->profile, ex->options->point, &layers) == 0 &&
	    layers > 1)
		snprintf(merged, sizeof(merged),
			 " (its %u layers merged into one program)", layers);
	printf("filters:        %u%s, loaded %s\n", ex->plan->nfilters, merged,
	       ex->plan->seccomp_at_arm ?
		       "at session open in the process that opened it, because no_new_privs is off" :
	       ex->options->point == SH_ENFORCE_OPEN ?
		       "at session open in the calling process" :
		       "in the session's child right before the shell");
	printf("other ABIs:     %s\n",
	       policy->narch ? "secondary architectures filtered the same" :
			       "32-bit and x32 calls fail with the default errno");
	if (policy->mode == SH_SECCOMP_ALLOWLIST)
		printf("unknown calls:  ENOSYS for syscalls this libseccomp cannot name\n");

	printf("syscalls:\n");
	r = for_each_verdict(ex, print_verdict_cb, NULL);
	if (r < 0)
		return r;

	point = cli_filter_point(ex->profile, ex->options->point);
	printf("enforcement allowance (enforce=%s%s): ", cli_point_name(point),
	       point != ex->options->point ?
		       ", because the filter loads at session open" : "");
	print_list(ex->allowance);
	return 0;
}

static void print_score(const struct explain *ex)
{
	struct cli_score_reason reasons[CLI_SCORE_REASONS_MAX];
	size_t count, i;
	int score;

	score = cli_exposure_score(ex->profile, ex->options->point, reasons,
				   CLI_SCORE_REASONS_MAX, &count);
	printf("exposure score: %d/10 (0 most confined, 10 unconfined)\n",
	       score);
	for (i = 0; i < count; i++)
		printf("  +%d %s\n", reasons[i].points, reasons[i].text);
}

static int print_text(const struct explain *ex)
{
	const struct sh_plan *plan = ex->plan;
	int r = 0;

	print_match(ex);
	printf("\n");
	if (plan->unconfined) {
		printf("controls:       none; the built-in profile \"unconfined\" applies nothing\n");
	} else {
		print_caps(plan);
		printf("no_new_privs:   %s\n", plan->no_new_privs ? "yes" : "no");
		print_ptrace(plan);
		printf("selinux exec:   %s\n", plan->selinux_exec_context ?
						       plan->selinux_exec_context :
						       "unchanged");
		printf("apparmor exec:  %s\n", plan->apparmor_exec_profile ?
						       plan->apparmor_exec_profile :
						       "unchanged");
		r = print_seccomp(ex);
	}
	printf("\n");
	print_score(ex);
	return r;
}

/* ------------------------------------------------------------------------ */
/* JSON output */

static struct json_object *mapping_json(const struct sh_mapping *mapping)
{
	struct json_object *object = json_object_new_object();

	json_object_object_add(object, "name",
			       json_object_new_string(mapping->name));
	json_object_object_add(object, "profile",
			       json_object_new_string(mapping->profile->name));
	json_object_object_add(object, "file", cli_json_string(mapping->file));
	json_object_object_add(object, "line",
			       json_object_new_int64(mapping->line));
	return object;
}

static struct json_object *match_json(const struct explain *ex)
{
	const struct sh_resolution *res = &ex->resolution;
	struct json_object *object = json_object_new_object();
	struct json_object *losing = json_object_new_array();
	size_t i;

	json_object_object_add(object, "kind",
			       json_object_new_string(match_kind_name(res->kind)));
	if (res->mapping) {
		json_object_object_add(object, "name",
				       json_object_new_string(res->mapping->name));
		json_object_object_add(object, "file",
				       cli_json_string(res->mapping->file));
		json_object_object_add(object, "line",
				       json_object_new_int64(res->mapping->line));
	} else {
		json_object_object_add(object, "file",
				       cli_json_string(ex->config->default_file));
		json_object_object_add(object, "line",
				       json_object_new_int64(ex->config->default_line));
	}
	for (i = 0; i < res->nlosing; i++)
		json_object_array_add(losing, mapping_json(res->losing[i]));
	json_object_object_add(object, "losing_groups", losing);
	return object;
}

static struct json_object *rule_source_json(const struct sh_rule *rule)
{
	struct json_object *object;

	if (!rule || !rule->file)
		return NULL;
	object = json_object_new_object();
	json_object_object_add(object, "file", json_object_new_string(rule->file));
	json_object_object_add(object, "line", json_object_new_int64(rule->line));
	return object;
}

static void verdict_json_cb(const struct cli_verdict *verdict, void *data)
{
	struct json_object *array = data;
	struct json_object *object = json_object_new_object();
	struct json_object *conds = json_object_new_array();
	char text[512];
	unsigned int i;

	json_object_object_add(object, "name",
			       json_object_new_string(verdict->name));
	json_object_object_add(object, "nr", json_object_new_int(verdict->nr));
	sh_action_describe(verdict->action, text, sizeof(text));
	json_object_object_add(object, "action", json_object_new_string(text));
	json_object_object_add(object, "source",
			       json_object_new_string(source_name(verdict->source)));
	json_object_object_add(object, "rule", rule_source_json(verdict->rule));
	json_object_object_add(object, "depends_on_arguments",
			       json_object_new_boolean(verdict->nconds > 0));

	for (i = 0; i < verdict->nconds; i++) {
		const struct sh_rule *rule = verdict->conds[i].rule;
		struct json_object *cond = json_object_new_object();

		sh_action_describe(verdict->conds[i].action, text, sizeof(text));
		json_object_object_add(cond, "action",
				       json_object_new_string(text));
		cli_rule_conditions(rule, text, sizeof(text));
		json_object_object_add(cond,
				       cli_rule_is_unless(rule) ? "unless" :
								  "if",
				       json_object_new_string(text));
		json_object_object_add(cond, "rule", rule_source_json(rule));
		json_object_array_add(conds, cond);
	}
	json_object_object_add(object, "conditions", conds);
	json_object_array_add(array, object);
}

static struct json_object *list_json(const char *const *list)
{
	struct json_object *array = json_object_new_array();

	for (; list && *list; list++)
		json_object_array_add(array, json_object_new_string(*list));
	return array;
}

/* Sets *ret_error to the error of a failed simulation, if one. */
static struct json_object *seccomp_json(const struct explain *ex,
					int *ret_error)
{
	const struct sh_seccomp_policy *policy = &ex->profile->seccomp;
	struct json_object *object = json_object_new_object();
	struct json_object *syscalls;
	char action[32];

	json_object_object_add(object, "mode",
			       json_object_new_string(mode_name(policy->mode)));
	if (policy->mode == SH_SECCOMP_OFF || ex->plan->unconfined)
		return object;

	json_object_object_add(object, "complain",
			       json_object_new_boolean(policy->complain));
	sh_action_describe(cli_policy_default_action(policy), action,
			sizeof(action));
	json_object_object_add(object, "default_action",
			       json_object_new_string(action));
	json_object_object_add(object, "default_errno",
			       cli_json_string(sh_errno_name(
				       cli_policy_default_errno(policy))));
	json_object_object_add(object, "log_denied",
			       json_object_new_boolean(policy->log_denied));
	json_object_object_add(object, "filters",
			       json_object_new_int((int)ex->plan->nfilters));
	json_object_object_add(object, "loaded_at_open",
			       json_object_new_boolean(
				       ex->plan->seccomp_at_arm ||
				       ex->options->point == SH_ENFORCE_OPEN));
	json_object_object_add(object, "allowance_point",
			       json_object_new_string(cli_point_name(
				       cli_filter_point(ex->profile,
							ex->options->point))));
	json_object_object_add(object, "allowance", list_json(ex->allowance));

	syscalls = json_object_new_array();
	*ret_error = for_each_verdict(ex, verdict_json_cb, syscalls);
	json_object_object_add(object, "syscalls", syscalls);
	return object;
}

static struct json_object *caps_json(const struct sh_plan *plan)
{
	if (plan->unconfined || plan->caps_keep_all)
		return json_object_new_string("all");
	if (!plan->caps_keep)
		return json_object_new_string("none");
	return cli_caps_json(plan->caps_keep);
}

static struct json_object *score_json(const struct explain *ex)
{
	struct cli_score_reason reasons[CLI_SCORE_REASONS_MAX];
	struct json_object *object = json_object_new_object();
	struct json_object *array = json_object_new_array();
	size_t count, i;
	int score;

	score = cli_exposure_score(ex->profile, ex->options->point, reasons,
				   CLI_SCORE_REASONS_MAX, &count);
	json_object_object_add(object, "score", json_object_new_int(score));
	for (i = 0; i < count; i++) {
		struct json_object *reason = json_object_new_object();

		json_object_object_add(reason, "points",
				       json_object_new_int(reasons[i].points));
		json_object_object_add(reason, "reason",
				       json_object_new_string(reasons[i].text));
		json_object_array_add(array, reason);
	}
	json_object_object_add(object, "reasons", array);
	return object;
}

static int print_json(const struct explain *ex)
{
	const struct sh_plan *plan = ex->plan;
	struct json_object *object = json_object_new_object();
	int r = 0;

	json_object_object_add(object, "user", json_object_new_string(ex->user));
	json_object_object_add(object, "service", cli_json_string(ex->service));
	json_object_object_add(object, "enforce",
			       json_object_new_string(cli_point_name(ex->options->point)));
	json_object_object_add(object, "profile",
			       json_object_new_string(ex->profile->name));
	json_object_object_add(object, "inherit",
			       cli_json_string(ex->profile->inherit));
	json_object_object_add(object, "match", match_json(ex));
	json_object_object_add(object, "unconfined",
			       json_object_new_boolean(plan->unconfined));
	json_object_object_add(object, "bounding_set", caps_json(plan));
	json_object_object_add(object, "ambient_set",
			       json_object_new_string(plan->unconfined ?
							      "unchanged" :
							      "cleared"));
	json_object_object_add(object, "no_new_privs",
			       json_object_new_boolean(plan->no_new_privs));
	json_object_object_add(object, "isolate_ptrace",
			       json_object_new_boolean(plan->isolate_ptrace));
	json_object_object_add(object, "selinux_exec_context",
			       cli_json_string(plan->selinux_exec_context));
	json_object_object_add(object, "apparmor_exec_profile",
			       cli_json_string(plan->apparmor_exec_profile));
	json_object_object_add(object, "seccomp", seccomp_json(ex, &r));
	json_object_object_add(object, "exposure", score_json(ex));
	cli_json_print(object);
	return r;
}

/* ------------------------------------------------------------------------ */

static int parse_explain_args(struct cli_options *options, struct explain *ex,
			      int argc, char **argv)
{
	enum { OPT_SERVICE = OPT_COMMAND_FIRST };
	static const struct option table[] = {
		CLI_COMMON_OPTIONS,
		{ "service", required_argument, NULL, OPT_SERVICE },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	while ((c = getopt_long(argc, argv, "h", table, NULL)) != -1) {
		if (c == OPT_SERVICE) {
			ex->service = optarg;
			continue;
		}
		r = cli_common_option(options, c, optarg);
		if (r != CLI_HANDLED)
			return r;
	}
	if (argc - optind != 1) {
		cli_fail("explain takes one user name");
		return EXIT_USAGE;
	}
	ex->user = argv[optind];
	if (strlen(ex->user) > SH_ACCOUNT_NAME_MAX) {
		cli_fail("user name longer than %d characters",
			 SH_ACCOUNT_NAME_MAX);
		return EXIT_USAGE;
	}
	return -1;
}

static void report_error(const struct cli_options *options,
			 const struct sh_error *err)
{
	struct json_object *object;

	if (!options->json) {
		cli_print_error(stderr, err);
		return;
	}
	object = json_object_new_object();
	json_object_object_add(object, "error", cli_error_json(err));
	cli_json_print(object);
}

int cmd_explain(struct cli_options *options, int argc, char **argv)
{
	struct explain ex = { .options = options };
	struct sh_error err = { 0 };
	struct sh_config *config = NULL;
	int r;

	r = parse_explain_args(options, &ex, argc, argv);
	if (r >= 0)
		return r;

	if (cli_load_config(options, &config) < 0)
		return EXIT_PROBLEMS;
	ex.config = config;

	r = sh_resolve_user(config, ex.user, &ex.resolution, &err);
	if (r == 0) {
		ex.profile = ex.resolution.profile;
		r = sh_plan_build(ex.profile, options->point, &ex.plan, &err);
	}
	if (r < 0) {
		report_error(options, &err);
		sh_config_free(config);
		return EXIT_PROBLEMS;
	}
	ex.allowance = sh_enforce_allowance(cli_filter_point(ex.profile,
							     options->point));

	if (options->json)
		r = print_json(&ex);
	else
		r = print_text(&ex);

	sh_plan_free(ex.plan);
	sh_config_free(config);
	return r < 0 ? EXIT_PROBLEMS : EXIT_OK;
}
