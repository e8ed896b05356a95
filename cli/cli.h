/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sechard command-line tool: shared types and helpers. */
#ifndef SECHARD_CLI_H
#define SECHARD_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <getopt.h>
#include <stdio.h>

#include <json-c/json.h>

#include "sechard.h"

/* Exit statuses, documented in the usage text and in sechard(1). */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEMS = 1,	/* problems found, or the command failed */
	EXIT_USAGE = 2,
	EXIT_NOT_PERMITTED = 3,
};

/* Options every command accepts. */
struct cli_options {
	const char *config;	/* --config, SH_DEFAULT_CONFIG unless given */
	bool json;		/* --json */
	enum sh_enforce_point point;	/* --enforce, child unless given */
	bool point_given;
};

/* Long-only option codes shared by every command's option table. */
enum {
	OPT_CONFIG = 1000,
	OPT_JSON,
	OPT_ENFORCE,
	OPT_HELP,
	OPT_COMMAND_FIRST,	/* first code free for a command's own options */
};

#define CLI_COMMON_OPTIONS \
	{ "config", required_argument, NULL, OPT_CONFIG }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "enforce", required_argument, NULL, OPT_ENFORCE }, \
	{ "help", no_argument, NULL, OPT_HELP }

/* Returned by cli_common_option() for an option it has applied. */
#define CLI_HANDLED (-1)

/*
 * Apply option code C of the common set.  Returns CLI_HANDLED, or the
 * status to exit with: EXIT_OK after printing the usage for --help,
 * EXIT_USAGE for an invalid value or an option the command does not take.
 */
int cli_common_option(struct cli_options *options, int c, const char *arg);

/* Print the usage text on OUT. */
void cli_usage(FILE *out);

/*
 * The commands; each gets its name as argv[0] and returns one of the exit
 * statuses above.
 */
int cmd_check(struct cli_options *options, int argc, char **argv);
int cmd_explain(struct cli_options *options, int argc, char **argv);
int cmd_run(struct cli_options *options, int argc, char **argv);
int cmd_status(struct cli_options *options, int argc, char **argv);
int cmd_export(struct cli_options *options, int argc, char **argv);
int cmd_groups(struct cli_options *options, int argc, char **argv);

/* ------------------------------------------------------------------------ */
/* Output */

/* Print "sechard: MESSAGE" on stderr. */
void cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print ERR on stderr as "FILE:LINE: error: KEY: MESSAGE", leaving out the
 * parts that are empty, so that the text after "error: " is the one the
 * PAM module logs for the same error.
 */
void cli_print_error(FILE *out, const struct sh_error *err);

/* Hint printed when the default configuration file does not exist. */
#define CLI_NO_CONFIG_HINT \
	"give a configuration with --config PATH, or install the shipped one with \"make install\""

/* Load the configuration the options name, printing any error. */
int cli_load_config(const struct cli_options *options,
		    struct sh_config **ret);

/* Report that CONFIG has no profile NAME, listing the ones it has. */
void cli_fail_profile_not_found(const struct sh_config *config,
				const char *name);

/* Write ERR's text after the location ("KEY: MESSAGE") into buf. */
void cli_error_reason(const struct sh_error *err, char *buf, size_t size);

/* A JSON object for ERR: file, line, key, message. */
struct json_object *cli_error_json(const struct sh_error *err);

/* Print OBJECT pretty-printed on stdout and release it. */
void cli_json_print(struct json_object *object);

/* A JSON string, or null when TEXT is NULL. */
struct json_object *cli_json_string(const char *text);

/* The name of an enforcement point: "child" or "open". */
const char *cli_point_name(enum sh_enforce_point point);

/* Parse "child" or "open"; returns 0 or -EINVAL. */
int cli_parse_point(const char *text, enum sh_enforce_point *ret);

/* ------------------------------------------------------------------------ */
/* Capabilities */

/* Write the upper-case name of capability CAP ("CAP_CHOWN") into buf. */
void cli_cap_name(int cap, char *buf, size_t size);

/*
 * The reason a kept capability amounts to root, or NULL when CAP is not
 * one of those.
 */
const char *cli_cap_root_reason(int cap);

/* A JSON array of the names of the capabilities in MASK. */
struct json_object *cli_caps_json(uint64_t mask);

/* Print the names of the capabilities in MASK, separated by ", ". */
void cli_caps_print(FILE *out, uint64_t mask);

/* ------------------------------------------------------------------------ */
/* Seccomp verdicts of the compiled filters */

#define CLI_VERDICT_CONDS_MAX 16

/* Origin a syscall's verdict is attributed to, for display only. */
enum cli_verdict_source {
	CLI_FROM_DEFAULT = 0,	/* no rule names the syscall */
	CLI_FROM_RULE,
	CLI_FROM_ALLOWANCE,	/* sh_enforce_allowance() keeps it allowed */
	CLI_FROM_SECOND_LOAD,	/* allowed so the later filters can load */
	CLI_FROM_COND_ALLOW,	/* only conditional allows decide */
	CLI_FROM_FILTER,	/* no rule or default explains the result */
};

/*
 * One argument-dependent outcome: ACTION, simulated on the compiled filters,
 * for a call whose arguments meet the conditions of RULE, or for an
 * "unless" rule (a lone "argN != v" allow) a call with argN == v.
 */
struct cli_cond_verdict {
	const struct sh_rule *rule;
	uint32_t action;	/* libseccomp action */
};

struct cli_verdict {
	char name[64];
	int nr;
	/* the compiled filters' result for arguments that meet no condition */
	uint32_t action;
	enum cli_verdict_source source;
	const struct sh_rule *rule;	/* the rule behind action, if one */
	/* conditional rules whose outcome differs from action */
	unsigned int nconds;
	struct cli_cond_verdict conds[CLI_VERDICT_CONDS_MAX];
	bool conds_truncated;
};

/*
 * Compute the verdict of the native syscall NAME (number NR) by running the
 * filters of PLAN, which sh_plan_build() compiled from POLICY with
 * ALLOWANCE, through sh_plan_verdict().  The rules of POLICY only choose
 * the argument values to try and the text that explains the result.
 * Returns 0 or the negative errno of sh_plan_verdict().
 */
int cli_verdict_get(const struct sh_plan *plan,
		    const struct sh_seccomp_policy *policy,
		    const char *const *allowance, int nr, const char *name,
		    struct cli_verdict *ret);

/* True when the call gets through for some arguments: see cli_verdict. */
bool cli_verdict_may_allow(const struct cli_verdict *verdict);

/*
 * Run the filters of PLAN on the native syscall NAME with ARGS and store
 * the action in *ret_action.  Returns 0, -EINVAL for a name the native
 * architecture lacks, or the negative errno of sh_plan_verdict().
 */
int cli_plan_call(const struct sh_plan *plan, const char *name,
		  const uint64_t args[6], uint32_t *ret_action);

/* The default action of POLICY's filter as a libseccomp action. */
uint32_t cli_policy_default_action(const struct sh_seccomp_policy *policy);

/* The errno that POLICY's default denials return. */
int cli_policy_default_errno(const struct sh_seccomp_policy *policy);


/* True for a libseccomp action that lets the call through. */
bool cli_action_allows(uint32_t action);

/* Describe the conditions of RULE: "arg1 == 0x5412 && ...". */
void cli_rule_conditions(const struct sh_rule *rule, char *buf, size_t size);

/* True when RULE is shown as "ACTION unless argN != v". */
bool cli_rule_is_unless(const struct sh_rule *rule);

/*
 * The enforcement point whose allowance the compiled filter of PROFILE
 * uses: a filter loaded at arm (seccomp on, no_new_privs off,
 * enforce=child) runs in the process that opened the session, so it gets
 * the open allowance.  Must match build_filters() in lib/plan.c.
 */
enum sh_enforce_point cli_filter_point(const struct sh_profile *profile,
				       enum sh_enforce_point point);

/*
 * Count the layers PROFILE's filter compiles into at POINT, before they
 * are merged into one program.  Returns 0, or -1 when it does not compile.
 */
int cli_count_layers(const struct sh_profile *profile,
		     enum sh_enforce_point point, unsigned int *ret);

/* ------------------------------------------------------------------------ */
/* Findings shared by check and explain */

/* One warning about a profile, with the line it concerns. */
struct cli_warning {
	const char *file;	/* NULL when no line is to blame */
	unsigned int line;
	char message[512];
};

#define CLI_WARNINGS_MAX 64

/*
 * Collect the warnings "sechard check" prints about PROFILE compiled for
 * POINT into RET and return their number, at most SIZE.
 */
size_t cli_profile_warnings(const struct sh_profile *profile,
			    enum sh_enforce_point point,
			    struct cli_warning *ret, size_t size);

/* True when PROFILE lets a session create a user namespace. */
bool cli_allows_user_namespaces(const struct sh_profile *profile,
				enum sh_enforce_point point);

/* True when PROFILE lets a session push input into a terminal. */
bool cli_allows_terminal_injection(const struct sh_profile *profile,
				   enum sh_enforce_point point);

/* One part of the exposure score. */
struct cli_score_reason {
	int points;
	char text[256];
};

#define CLI_SCORE_REASONS_MAX 16

/*
 * The exposure score of PROFILE compiled for POINT, 0 (most confined) to
 * 10 (unconfined), with the reasons that add up to it.  The scale is
 * described in exposure.c and in sechard(1).
 */
int cli_exposure_score(const struct sh_profile *profile,
		       enum sh_enforce_point point,
		       struct cli_score_reason *reasons, size_t size,
		       size_t *ret_count);

#endif /* SECHARD_CLI_H */
