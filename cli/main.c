// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sechard: check, explain, try out and export pam_sechard profiles.
 *
 * Every command goes through the library calls the PAM module makes
 * (sh_config_load, sh_resolve_user, sh_plan_build, sh_plan_arm,
 * sh_plan_enforce), so what the tool reports is what a login gets.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef SECHARD_VERSION
#define SECHARD_VERSION "0.1"
#endif

void cli_usage(FILE *out)
{
	fputs("Usage: sechard [OPTIONS] COMMAND [ARGUMENTS]\n"
	      "\n"
	      "Check, explain and try out the profiles that pam_sechard applies to\n"
	      "login sessions.\n"
	      "\n"
	      "Commands:\n"
	      "  check                   validate the configuration as the PAM module\n"
	      "                          loads it and compile every profile\n"
	      "  explain USER            show which rule picks USER's profile and\n"
	      "                          everything that profile applies\n"
	      "      --service NAME      PAM service to report (profiles do not depend\n"
	      "                          on it)\n"
	      "  run -u USER -- COMMAND  run COMMAND as USER, confined as USER's login\n"
	      "  run -p PROFILE -- COMMAND\n"
	      "                          run COMMAND as the caller under PROFILE; add\n"
	      "                          -u USER to also switch to USER\n"
	      "  status [PID]            show the confinement of process PID (default:\n"
	      "                          the sechard process itself)\n"
	      "  export PROFILE --bpf | --pfc | --oci-json\n"
	      "                          write PROFILE's seccomp filter as raw BPF,\n"
	      "                          libseccomp's pseudo-code or an OCI profile\n"
	      "      --index N           with --bpf: which filter, 1 to 3, when the\n"
	      "                          profile's layers are too long to merge and\n"
	      "                          load as separate filters\n"
	      "      -o, --output FILE   write to FILE instead of standard output\n"
	      "  groups [NAME]           list the syscall groups, or the members of one\n"
	      "\n"
	      "Options for every command:\n"
	      "  --config PATH           configuration file, relative to the working\n"
	      "                          folder or absolute (default\n"
	      "                          " SH_DEFAULT_CONFIG ")\n"
	      "  --enforce child|open    where the module enforces no_new_privs and\n"
	      "                          seccomp, as its enforce= argument (default\n"
	      "                          child)\n"
	      "  --json                  print machine-readable JSON on standard output\n"
	      "  --help                  print this text and exit\n"
	      "  --version               print the version and exit\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success, no errors found\n"
	      "  1  errors found in the configuration, or the command failed\n"
	      "  2  invalid command line\n"
	      "  3  not permitted: the command needs root\n"
	      "For run, the exit status of COMMAND, or 128 + signal number when a\n"
	      "signal ended it.\n",
	      out);
}

/*
 * The library only reads absolute paths, because it checks every folder
 * from / down.  A path given on the command line is taken relative to the
 * working folder, as users expect, by prefixing it; symlinks are left in
 * place so that the library still refuses them.
 */
static int absolute_path(const char *path, char *buf, size_t size)
{
	char cwd[4096];

	if (path[0] == '/')
		return snprintf(buf, size, "%s", path) < (int)size ? 0 : -1;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	return snprintf(buf, size, "%s/%s", cwd, path) < (int)size ? 0 : -1;
}

static char config_path[4096];

int cli_common_option(struct cli_options *options, int c, const char *arg)
{
	switch (c) {
	case OPT_CONFIG:
		if (!arg[0] || strlen(arg) >= sizeof(config_path)) {
			cli_fail("invalid --config path: expected 1 to %zu characters",
				 sizeof(config_path) - 1);
			return EXIT_USAGE;
		}
		if (absolute_path(arg, config_path, sizeof(config_path)) < 0) {
			cli_fail("invalid --config path \"%s\": cannot make it absolute",
				 arg);
			return EXIT_USAGE;
		}
		options->config = config_path;
		return CLI_HANDLED;
	case OPT_JSON:
		options->json = true;
		return CLI_HANDLED;
	case OPT_ENFORCE:
		if (cli_parse_point(arg, &options->point) < 0) {
			cli_fail("invalid --enforce value \"%s\": expected child or open",
				 arg);
			return EXIT_USAGE;
		}
		options->point_given = true;
		return CLI_HANDLED;
	case 'h':
	case OPT_HELP:
		cli_usage(stdout);
		return EXIT_OK;
	default:
		/* getopt_long printed the reason */
		fputs("Try 'sechard --help' for more information.\n", stderr);
		return EXIT_USAGE;
	}
}

int cli_load_config(const struct cli_options *options, struct sh_config **ret)
{
	struct sh_error err = { 0 };
	struct json_object *object;
	int r;

	r = sh_config_load(options->config, ret, &err);
	if (r == 0)
		return 0;

	if (options->json) {
		object = json_object_new_object();
		json_object_object_add(object, "config",
				       json_object_new_string(options->config));
		json_object_object_add(object, "error", cli_error_json(&err));
		cli_json_print(object);
	} else {
		cli_print_error(stderr, &err);
		if (r == -ENOENT && strcmp(options->config, SH_DEFAULT_CONFIG) == 0)
			fprintf(stderr, "sechard: %s\n", CLI_NO_CONFIG_HINT);
	}
	return -1;
}

void cli_fail_profile_not_found(const struct sh_config *config,
				const char *name)
{
	char names[512] = "";
	size_t used = 0, i;

	for (i = 0; i < config->nprofiles && used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used,
					 "%s%s", i ? ", " : "",
					 config->profiles[i].name);
	cli_fail("profile \"%s\" not found in %s; its profiles are: %s",
		 name, config->files[0], names);
}

static const struct {
	const char *name;
	int (*run)(struct cli_options *options, int argc, char **argv);
} commands[] = {
	{ "check", cmd_check },
	{ "explain", cmd_explain },
	{ "run", cmd_run },
	{ "status", cmd_status },
	{ "export", cmd_export },
	{ "groups", cmd_groups },
};

/* Options given before the command name. */
static int parse_global(struct cli_options *options, int argc, char **argv)
{
	static const struct option table[] = {
		CLI_COMMON_OPTIONS,
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	/* "+": stop at the command name, which has options of its own */
	while ((c = getopt_long(argc, argv, "+h", table, NULL)) != -1) {
		if (c == 'V') {
			printf("sechard %s\n", SECHARD_VERSION);
			return EXIT_OK;
		}
		r = cli_common_option(options, c, optarg);
		if (r != CLI_HANDLED)
			return r;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct cli_options options = {
		.config = SH_DEFAULT_CONFIG,
		.point = SH_ENFORCE_CHILD,
	};
	const char *name;
	size_t i;
	int r;

	r = parse_global(&options, argc, argv);
	if (r >= 0)
		return r;

	if (optind >= argc) {
		cli_fail("missing command");
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	name = argv[optind];

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) != 0)
			continue;
		argc -= optind;
		argv += optind;
		/* restart getopt for the command's own arguments */
		optind = 0;
		return commands[i].run(&options, argc, argv);
	}

	cli_fail("unknown command \"%s\"; valid: check, explain, run, status, export, groups",
		 name);
	return EXIT_USAGE;
}
