// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sechard export PROFILE: the profile's seccomp filter as raw BPF,
 * libseccomp's pseudo-filter code (PFC) or an OCI seccomp profile.
 *
 * A profile compiles into one to SH_FILTERS_MAX layers, which the library
 * merges into the one program the module loads.  Only layers too long to
 * merge stay separate filters.  --bpf writes a program the module loads.
 * With several filters it needs --index, because programs written back to
 * back have no boundary a reader could find.  --pfc writes every layer,
 * each under a comment line that names it.  The fallback layer is plain
 * BPF that libseccomp did not build, so --pfc only describes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum export_format {
	FORMAT_NONE = 0,
	FORMAT_BPF,
	FORMAT_PFC,
	FORMAT_OCI,
};

struct export {
	const char *profile_name;
	enum export_format format;
	unsigned int index;	/* --index, 0 when not given */
	const char *output;	/* -o, NULL for standard output */
};

static int write_all(int fd, const void *data, size_t size)
{
	const char *bytes = data;

	while (size) {
		ssize_t n = write(fd, bytes, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		bytes += n;
		size -= (size_t)n;
	}
	return 0;
}

static int export_bpf(const struct export *ex, const struct sh_plan *plan,
		      int fd)
{
	const struct sh_bpf *bpf;

	if (plan->nfilters == 0) {
		cli_fail("profile \"%s\" has no seccomp filter",
			 ex->profile_name);
		return EXIT_PROBLEMS;
	}
	if (plan->nfilters > 1 && !ex->index) {
		cli_fail("profile \"%s\" compiles into %u filters that the kernel runs in order; choose one with --index 1 to --index %u",
			 ex->profile_name, plan->nfilters, plan->nfilters);
		return EXIT_USAGE;
	}
	if (ex->index > plan->nfilters) {
		cli_fail("profile \"%s\" has %u filter%s; --index %u does not exist",
			 ex->profile_name, plan->nfilters,
			 plan->nfilters == 1 ? "" : "s", ex->index);
		return EXIT_USAGE;
	}

	bpf = &plan->filters[ex->index ? ex->index - 1 : 0];
	if (write_all(fd, bpf->insns,
		      (size_t)bpf->len * sizeof(struct sock_filter)) < 0) {
		cli_fail("write failed: %s", strerror(errno));
		return EXIT_PROBLEMS;
	}
	return EXIT_OK;
}

/*
 * Compile the profile's layers again, with the allowance the plan used and
 * stacked if the plan's layers are.
 */
static int build_contexts(const struct sh_profile *profile,
			  enum sh_enforce_point point, bool stacked,
			  scmp_filter_ctx ctx[2], unsigned int *count)
{
	struct sh_error err = { 0 };
	const char *const *allowance;

	allowance = sh_enforce_allowance(cli_filter_point(profile, point));
	if (sh_filter_build(&profile->seccomp, allowance, stacked, ctx, count,
			    &err) < 0) {
		cli_print_error(stderr, &err);
		return -1;
	}
	return 0;
}

/* Whether the profile also needs the fallback layer. */
static int has_fallback(const struct sh_profile *profile,
			enum sh_enforce_point point, bool stacked, bool *ret)
{
	struct sh_error err = { 0 };
	const char *const *allowance;
	struct sh_bpf fallback;

	allowance = sh_enforce_allowance(cli_filter_point(profile, point));
	if (sh_filter_build_fallback(&profile->seccomp, allowance, stacked,
				     &fallback, &err) < 0) {
		cli_print_error(stderr, &err);
		return -1;
	}
	*ret = fallback.len != 0;
	free(fallback.insns);
	return 0;
}

/*
 * The comment line above each layer.  Merged layers give the verdicts the
 * same layers would give as separate filters, so one rule describes both.
 */
static int write_layer_header(const struct export *ex, unsigned int number,
			      unsigned int count, bool stacked, int fd)
{
	char header[320];

	snprintf(header, sizeof(header),
		 "#\n# sechard: profile \"%s\", %s %u of %u (%s; the strictest result wins, the later %s between equals)\n",
		 ex->profile_name, stacked ? "filter" : "layer", number, count,
		 stacked ? "the kernel runs every filter" :
			   "merged into the one program --bpf writes",
		 stacked ? "filter" : "layer");
	return write_all(fd, header, strlen(header));
}

static int write_fallback_pfc(const struct export *ex, unsigned int number,
			      unsigned int count, bool stacked, int fd)
{
	static const char text[] =
		"# This fallback layer is plain BPF that libseccomp did not build, so it has\n"
		"# no PFC.  For a syscall that only conditional allows decide, it returns\n"
		"# ALLOW when one of them matches and the profile's default action otherwise,\n"
		"# in place of layer 1's ENOSYS.  It allows every other call.\n";
	int r;

	r = write_layer_header(ex, number, count, stacked, fd);
	if (r < 0)
		return r;
	return write_all(fd, text, sizeof(text) - 1);
}

static int export_pfc(const struct export *ex, const struct sh_plan *plan,
		      const struct sh_profile *profile,
		      enum sh_enforce_point point, int fd)
{
	scmp_filter_ctx ctx[2] = { NULL, NULL };
	unsigned int count = 0, total, number = 0, i;
	bool stacked = plan->nfilters > 1;
	int status = EXIT_OK;
	bool fallback = false;
	int r;

	if (profile->seccomp.mode == SH_SECCOMP_OFF) {
		cli_fail("profile \"%s\" has no seccomp filter",
			 ex->profile_name);
		return EXIT_PROBLEMS;
	}
	if (has_fallback(profile, point, stacked, &fallback) < 0 ||
	    build_contexts(profile, point, stacked, ctx, &count) < 0)
		return EXIT_PROBLEMS;

	/* the load order of sh_filter_compile(): the fallback comes second */
	total = count + (fallback ? 1 : 0);
	for (i = 0; i < count && status == EXIT_OK; i++) {
		r = write_layer_header(ex, ++number, total, stacked, fd);
		if (r == 0)
			r = seccomp_export_pfc(ctx[i], fd);
		if (r == 0 && i == 0 && fallback)
			r = write_fallback_pfc(ex, ++number, total, stacked,
					       fd);
		if (r < 0) {
			cli_fail("cannot write layer %u: %s", number,
				 strerror(-r));
			status = EXIT_PROBLEMS;
		}
	}
	for (i = 0; i < count; i++)
		seccomp_release(ctx[i]);
	return status;
}

static int export_oci(const struct export *ex,
		      const struct sh_profile *profile,
		      enum sh_enforce_point point, int fd)
{
	struct sh_error err = { 0 };
	const char *const *allowance;
	int r;

	if (profile->seccomp.mode == SH_SECCOMP_OFF) {
		cli_fail("profile \"%s\" has no seccomp filter",
			 ex->profile_name);
		return EXIT_PROBLEMS;
	}
	allowance = sh_enforce_allowance(cli_filter_point(profile, point));
	r = sh_oci_write(&profile->seccomp, allowance, fd, &err);
	if (r < 0) {
		cli_print_error(stderr, &err);
		/* the policy needs more than the one filter runc builds */
		if (r == -EOPNOTSUPP)
			cli_fail("profile \"%s\" cannot be written as an OCI profile without changing its verdicts; use --bpf or --pfc, which keep every layer",
				 ex->profile_name);
		return EXIT_PROBLEMS;
	}
	return EXIT_OK;
}

static int set_format(struct export *ex, enum export_format format)
{
	if (ex->format && ex->format != format) {
		cli_fail("choose one of --bpf, --pfc and --oci-json");
		return -1;
	}
	ex->format = format;
	return 0;
}

static int parse_export_args(struct cli_options *options, struct export *ex,
			     int argc, char **argv)
{
	enum {
		OPT_BPF = OPT_COMMAND_FIRST,
		OPT_PFC,
		OPT_OCI,
		OPT_INDEX,
		OPT_OUTPUT = 'o',
	};
	static const struct option table[] = {
		CLI_COMMON_OPTIONS,
		{ "bpf", no_argument, NULL, OPT_BPF },
		{ "pfc", no_argument, NULL, OPT_PFC },
		{ "oci-json", no_argument, NULL, OPT_OCI },
		{ "index", required_argument, NULL, OPT_INDEX },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t index;
	int c, r;

	while ((c = getopt_long(argc, argv, "ho:", table, NULL)) != -1) {
		switch (c) {
		case OPT_BPF:
		case OPT_PFC:
		case OPT_OCI:
			if (set_format(ex, c == OPT_BPF ? FORMAT_BPF :
					   c == OPT_PFC ? FORMAT_PFC :
							  FORMAT_OCI) < 0)
				return EXIT_USAGE;
			break;
		case OPT_INDEX:
			if (sh_parse_u64(optarg, &index) < 0 || index < 1 ||
			    index > SH_FILTERS_MAX) {
				cli_fail("invalid --index \"%s\": expected 1 to %d",
					 optarg, SH_FILTERS_MAX);
				return EXIT_USAGE;
			}
			ex->index = (unsigned int)index;
			break;
		case OPT_OUTPUT:
			ex->output = optarg;
			break;
		default:
			r = cli_common_option(options, c, optarg);
			if (r != CLI_HANDLED)
				return r;
		}
	}

	if (argc - optind != 1) {
		cli_fail("export takes one profile name");
		return EXIT_USAGE;
	}
	ex->profile_name = argv[optind];
	if (!ex->format) {
		cli_fail("export needs a format: --bpf, --pfc or --oci-json");
		return EXIT_USAGE;
	}
	if (ex->index && ex->format != FORMAT_BPF) {
		cli_fail("--index applies to --bpf only");
		return EXIT_USAGE;
	}
	if (options->json && ex->format != FORMAT_OCI) {
		cli_fail("--json applies to --oci-json only, which is JSON already");
		return EXIT_USAGE;
	}
	return -1;
}

static int open_output(const struct export *ex)
{
	int fd;

	if (!ex->output)
		return STDOUT_FILENO;
	fd = open(ex->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
				      O_NOFOLLOW,
		  0644);
	if (fd < 0)
		cli_fail("cannot open %s for writing: %s", ex->output,
			 strerror(errno));
	return fd;
}

static int export_profile(const struct cli_options *options,
			  const struct export *ex,
			  const struct sh_profile *profile)
{
	struct sh_error err = { 0 };
	struct sh_plan *plan = NULL;
	int fd, status;

	/* the same checks a login makes, so a broken profile fails here too */
	if (sh_plan_build(profile, options->point, &plan, &err) < 0) {
		cli_print_error(stderr, &err);
		return EXIT_PROBLEMS;
	}

	fd = open_output(ex);
	if (fd < 0) {
		sh_plan_free(plan);
		return EXIT_PROBLEMS;
	}

	if (ex->format == FORMAT_BPF)
		status = export_bpf(ex, plan, fd);
	else if (ex->format == FORMAT_PFC)
		status = export_pfc(ex, plan, profile, options->point, fd);
	else
		status = export_oci(ex, profile, options->point, fd);

	if (fd != STDOUT_FILENO && close(fd) < 0 && status == EXIT_OK) {
		cli_fail("cannot write %s: %s", ex->output, strerror(errno));
		status = EXIT_PROBLEMS;
	}
	sh_plan_free(plan);
	return status;
}

int cmd_export(struct cli_options *options, int argc, char **argv)
{
	const struct sh_profile *profile;
	struct sh_config *config = NULL;
	struct export ex = { 0 };
	int status;

	status = parse_export_args(options, &ex, argc, argv);
	if (status >= 0)
		return status;

	if (cli_load_config(options, &config) < 0)
		return EXIT_PROBLEMS;

	profile = sh_config_find_profile(config, ex.profile_name);
	if (!profile) {
		cli_fail_profile_not_found(config, ex.profile_name);
		status = EXIT_PROBLEMS;
	} else {
		status = export_profile(options, &ex, profile);
	}
	sh_config_free(config);
	return status;
}
