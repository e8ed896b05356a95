// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sechard check: validate a configuration the way the PAM module loads it,
 * then compile every profile for both enforcement points, so that errors
 * which only show at login (LSM not enabled, filter too large) show here.
 *
 * The library stops loading at the first error, as the module does; only
 * the compile step reports one error per profile and point.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct report {
	const struct cli_options *options;
	struct json_object *errors;
	struct json_object *warnings;
	struct json_object *notes;
	unsigned int nerrors;
	unsigned int nwarnings;
	/* formatted errors already printed, so both points report once */
	char **seen;
	size_t nseen;
};

static bool seen_before(struct report *report, const char *text)
{
	char **grown;
	size_t i;

	for (i = 0; i < report->nseen; i++) {
		if (strcmp(report->seen[i], text) == 0)
			return true;
	}
	grown = realloc(report->seen, (report->nseen + 1) * sizeof(*grown));
	if (!grown)
		return false;
	report->seen = grown;
	report->seen[report->nseen] = strdup(text);
	if (report->seen[report->nseen])
		report->nseen++;
	return false;
}

static void report_error(struct report *report, const struct sh_error *err,
			 const char *profile, const char *point)
{
	char text[sizeof(err->file) + sizeof(err->key) + sizeof(err->message) + 32];
	struct json_object *object;

	sh_error_format(err, text, sizeof(text));
	if (seen_before(report, text))
		return;
	report->nerrors++;

	if (!report->options->json) {
		cli_print_error(stdout, err);
		return;
	}
	object = cli_error_json(err);
	json_object_object_add(object, "profile", cli_json_string(profile));
	json_object_object_add(object, "enforce", cli_json_string(point));
	json_object_array_add(report->errors, object);
}

static void report_warning(struct report *report, const char *file,
			   unsigned int line, const char *profile,
			   const char *message)
{
	struct json_object *object;

	report->nwarnings++;
	if (!report->options->json) {
		if (file && line)
			printf("%s:%u: warning: %s\n", file, line, message);
		else
			printf("%s: warning: %s\n",
			       file ? file : report->options->config, message);
		return;
	}
	object = json_object_new_object();
	json_object_object_add(object, "file", cli_json_string(file));
	json_object_object_add(object, "line", json_object_new_int64(line));
	json_object_object_add(object, "profile", cli_json_string(profile));
	json_object_object_add(object, "message",
			       json_object_new_string(message));
	json_object_array_add(report->warnings, object);
}

static void report_note(struct report *report, const char *message)
{
	if (report->options->json)
		json_object_array_add(report->notes,
				      json_object_new_string(message));
	else
		printf("note: %s\n", message);
}

static bool same_error(const struct sh_error *a, const struct sh_error *b)
{
	return strcmp(a->file, b->file) == 0 && a->line == b->line &&
	       strcmp(a->key, b->key) == 0 &&
	       strcmp(a->message, b->message) == 0;
}

/*
 * Compile PROFILE for both points, as a login would.  An error that only
 * one point gives is marked with that point.
 */
static void check_compile(struct report *report,
			  const struct sh_profile *profile)
{
	static const enum sh_enforce_point points[2] = {
		SH_ENFORCE_CHILD, SH_ENFORCE_OPEN,
	};
	struct sh_error err[2];
	bool failed[2];
	size_t i, len;

	memset(err, 0, sizeof(err));
	for (i = 0; i < 2; i++) {
		struct sh_plan *plan = NULL;

		failed[i] = sh_plan_build(profile, points[i], &plan,
					  &err[i]) < 0;
		sh_plan_free(plan);
	}

	if (failed[0] && failed[1] && same_error(&err[0], &err[1])) {
		report_error(report, &err[0], profile->name, NULL);
		return;
	}
	for (i = 0; i < 2; i++) {
		if (!failed[i])
			continue;
		len = strlen(err[i].message);
		snprintf(err[i].message + len, sizeof(err[i].message) - len,
			 " (enforce=%s)", cli_point_name(points[i]));
		report_error(report, &err[i], profile->name,
			     cli_point_name(points[i]));
	}
}

static bool profile_is_mapped(const struct sh_config *config,
			      const struct sh_profile *profile)
{
	size_t i;

	if (config->default_profile == profile)
		return true;
	for (i = 0; i < config->nusers; i++) {
		if (config->users[i].profile == profile)
			return true;
	}
	for (i = 0; i < config->ngroups; i++) {
		if (config->groups[i].profile == profile)
			return true;
	}
	for (i = 0; i < config->nprofiles; i++) {
		const char *parent = config->profiles[i].inherit;

		if (parent && strcmp(parent, profile->name) == 0)
			return true;
	}
	return false;
}

static void check_profiles(struct report *report,
			   const struct sh_config *config)
{
	struct cli_warning warnings[CLI_WARNINGS_MAX];
	char message[512];
	size_t i, j, count;

	for (i = 0; i < config->nprofiles; i++) {
		const struct sh_profile *profile = &config->profiles[i];

		if (profile->unconfined)
			continue;
		check_compile(report, profile);

		count = cli_profile_warnings(profile, report->options->point,
					     warnings, CLI_WARNINGS_MAX);
		for (j = 0; j < count; j++)
			report_warning(report, warnings[j].file,
				       warnings[j].line, profile->name,
				       warnings[j].message);

		if (!profile_is_mapped(config, profile)) {
			snprintf(message, sizeof(message),
				 "profile \"%s\" is never used: it is not the default, no [users] or [groups] line names it and no profile inherits from it",
				 profile->name);
			report_warning(report, profile->file, profile->line,
				       profile->name, message);
		}
	}
}

static void check_users(struct report *report, const struct sh_config *config)
{
	char message[512];
	size_t i;

	for (i = 0; i < config->nusers; i++) {
		const struct sh_mapping *mapping = &config->users[i];

		errno = 0;
		if (getpwnam(mapping->name))
			continue;
		snprintf(message, sizeof(message),
			 "user \"%s\" does not exist%s%s; the line has no effect until it does",
			 mapping->name, errno ? ": " : "",
			 errno ? strerror(errno) : "");
		report_warning(report, mapping->file, mapping->line,
			       mapping->profile->name, message);
	}
}

static void add_summary(struct report *report, struct json_object *object)
{
	json_object_object_add(object, "config",
			       json_object_new_string(report->options->config));
	json_object_object_add(object, "valid",
			       json_object_new_boolean(report->nerrors == 0));
	json_object_object_add(object, "errors", report->errors);
	json_object_object_add(object, "warnings", report->warnings);
	json_object_object_add(object, "notes", report->notes);
}

static int parse_check_args(struct cli_options *options, int argc,
			    char **argv)
{
	static const struct option table[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	while ((c = getopt_long(argc, argv, "h", table, NULL)) != -1) {
		r = cli_common_option(options, c, optarg);
		if (r != CLI_HANDLED)
			return r;
	}
	if (optind < argc) {
		cli_fail("check takes no arguments; use --config PATH to name a file");
		return EXIT_USAGE;
	}
	return -1;
}

int cmd_check(struct cli_options *options, int argc, char **argv)
{
	struct report report = { .options = options };
	struct sh_error err = { 0 };
	struct sh_config *config = NULL;
	struct json_object *object;
	size_t i;
	int r;

	r = parse_check_args(options, argc, argv);
	if (r >= 0)
		return r;

	report.errors = json_object_new_array();
	report.warnings = json_object_new_array();
	report.notes = json_object_new_array();

	r = sh_config_load(options->config, &config, &err);
	if (r < 0) {
		report_error(&report, &err, NULL, NULL);
		if (r == -ENOENT &&
		    strcmp(options->config, SH_DEFAULT_CONFIG) == 0)
			report_note(&report, CLI_NO_CONFIG_HINT);
	} else {
		check_profiles(&report, config);
		check_users(&report, config);
		report_note(&report,
			    "with enforce=child (the default), sshd enforces no_new_privs and seccomp only if its PAM configuration also has \"auth optional pam_sechard.so\"");
	}

	if (options->json) {
		object = json_object_new_object();
		add_summary(&report, object);
		cli_json_print(object);
	} else {
		json_object_put(report.errors);
		json_object_put(report.warnings);
		json_object_put(report.notes);
		printf("%s: %u error%s, %u warning%s\n", options->config,
		       report.nerrors, report.nerrors == 1 ? "" : "s",
		       report.nwarnings, report.nwarnings == 1 ? "" : "s");
	}

	for (i = 0; i < report.nseen; i++)
		free(report.seen[i]);
	free(report.seen);
	sh_config_free(config);
	return report.nerrors ? EXIT_PROBLEMS : EXIT_OK;
}
