// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests of configuration loading and resolution.  Each test writes
 * its files into a private folder under /tmp, which the file safety rules
 * accept because /tmp is sticky and the folder is the caller's own.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sechard.h"

static char folder[64];

static const char *write_file(const char *name, const char *text)
{
	static char path[160];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	file = fopen(path, "w");
	assert_non_null(file);
	fputs(text, file);
	fclose(file);
	chmod(path, 0644);
	return path;
}

static int make_folder(void **state)
{
	(void)state;
	snprintf(folder, sizeof(folder), "/tmp/sechard-unit.XXXXXX");
	return mkdtemp(folder) ? 0 : -1;
}

static int remove_folder(void **state)
{
	char command[128];

	(void)state;
	snprintf(command, sizeof(command), "rm -rf '%s'", folder);
	return system(command);
}

static struct sh_config *load_ok(const char *text)
{
	struct sh_config *config = NULL;
	struct sh_error err = { 0 };
	int r;

	r = sh_config_load(write_file("ok.conf", text), &config, &err);
	if (r < 0)
		fail_msg("load failed: %s:%u: %s: %s", err.file, err.line,
			 err.key, err.message);
	return config;
}

static void load_fails(const char *text, unsigned int line,
		       const char *reason)
{
	struct sh_config *config = NULL;
	struct sh_error err = { 0 };

	assert_true(sh_config_load(write_file("bad.conf", text), &config,
				   &err) < 0);
	assert_null(config);
	assert_int_equal(err.line, line);
	assert_non_null(strstr(err.message, reason));
}

static void shipped_config_loads(void **state)
{
	struct sh_config *config = NULL;
	const struct sh_profile *tenant;

	(void)state;
	/* relative paths are refused by design, so load through a copy */
	{
		FILE *in = fopen("conf/sechard.conf", "r");
		char text[16384];
		size_t n;

		assert_non_null(in);
		n = fread(text, 1, sizeof(text) - 1, in);
		fclose(in);
		text[n] = '\0';
		config = load_ok(text);
	}
	assert_non_null(config);
	assert_string_equal(config->default_profile->name, "baseline");

	tenant = sh_config_find_profile(config, "tenant");
	assert_non_null(tenant);
	assert_false(tenant->caps_keep_all);
	assert_int_equal(tenant->caps_keep, 0);
	assert_true(tenant->no_new_privs);
	assert_int_equal(tenant->seccomp.mode, SH_SECCOMP_ALLOWLIST);
	sh_config_free(config);
}

static void relative_path_refused(void **state)
{
	struct sh_config *config = NULL;
	struct sh_error err = { 0 };

	(void)state;
	assert_int_equal(sh_config_load("conf/sechard.conf", &config, &err),
			 -EINVAL);
	assert_non_null(strstr(err.message, "absolute"));
}

static void empty_caps_keep_none(void **state)
{
	struct sh_config *config;
	const struct sh_profile *none, *absent;

	(void)state;
	config = load_ok("[global]\ndefault = none\n"
			 "[profile none]\ncaps =\n"
			 "[profile absent]\nno_new_privs = yes\n");
	none = sh_config_find_profile(config, "none");
	absent = sh_config_find_profile(config, "absent");
	assert_false(none->caps_keep_all);
	assert_int_equal(none->caps_keep, 0);
	assert_true(absent->caps_keep_all);
	sh_config_free(config);
}

static void inherit_replaces_whole_values(void **state)
{
	struct sh_config *config;
	const struct sh_profile *child;

	(void)state;
	config = load_ok("[global]\ndefault = child\n"
			 "[profile parent]\ncaps = cap_chown, cap_kill\n"
			 "no_new_privs = yes\n"
			 "[profile child]\ninherit = parent\ncaps = cap_kill\n");
	child = sh_config_find_profile(config, "child");
	assert_true(child->no_new_privs);
	assert_int_equal(child->caps_keep, 1ULL << 5);
	assert_string_equal(child->inherit, "parent");
	sh_config_free(config);
}

/* seccomp_log_denied inherits, and an OCI profile's LOG flag sets it too. */
static void log_denied_from_key_and_oci(void **state)
{
	struct sh_config *config;
	char text[512];
	const char *json;

	(void)state;
	json = write_file("log.json",
			  "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
			  " \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"],\n"
			  " \"syscalls\": [{\"names\": [\"ptrace\"],\n"
			  "  \"action\": \"SCMP_ACT_ERRNO\"}]}\n");
	snprintf(text, sizeof(text),
		 "[global]\ndefault = child\n"
		 "[profile parent]\nseccomp = denylist\nseccomp_deny = mount\n"
		 "seccomp_log_denied = yes\n"
		 "[profile child]\ninherit = parent\n"
		 "[profile quiet]\nseccomp = denylist\nseccomp_deny = mount\n"
		 "[profile oci]\nseccomp_oci = %s\n", json);
	config = load_ok(text);

	assert_true(sh_config_find_profile(config, "parent")->seccomp.log_denied);
	assert_true(sh_config_find_profile(config, "child")->seccomp.log_denied);
	assert_false(sh_config_find_profile(config, "quiet")->seccomp.log_denied);
	assert_true(sh_config_find_profile(config, "oci")->seccomp.log_denied);
	sh_config_free(config);

	load_fails("[global]\ndefault = p\n[profile p]\nseccomp = denylist\n"
		   "seccomp_log_denied = often\n", 5, "often");
	load_fails("[global]\ndefault = p\n[profile p]\nseccomp = off\n"
		   "seccomp_log_denied = yes\n", 5, "\"seccomp\" is off");
}

static void bad_content_refused(void **state)
{
	(void)state;
	load_fails("[global]\ndefault = p\n[profile p]\ncaps = all\ncaps = all\n",
		   5, "duplicated key");
	load_fails("[global]\ndefault = p\n[profile p]\ninherit = p\n", 4,
		   "builds on itself");
	load_fails("[global]\ndefault = p\n[profile p]\ncaps = cap_nope\n", 4,
		   "unknown capability");
	load_fails("[global]\ndefault = p\n[profile unconfined]\n", 3,
		   "built in");
	load_fails("[global]\ndefault = x\n[global]\n", 3, "appears twice");
	load_fails("[global]\ndefault = unconfined\nkey = a \\\n", 3,
		   "continuation");
	load_fails("[global]\ndefault = unconfined\n[users]\nunconfined = a, , b\n",
		   4, "empty name");
}

static void dropins_merge_and_conflict(void **state)
{
	struct sh_config *config = NULL;
	struct sh_error err = { 0 };
	char main_text[256], dropins[128];

	(void)state;
	snprintf(dropins, sizeof(dropins), "%s/conf.d", folder);
	mkdir(dropins, 0755);
	write_file("conf.d/10-extra.conf",
		   "[profile extra]\ncaps =\n[users]\nextra = root\n");
	write_file("conf.d/ignored.txt", "this is not read\n");
	snprintf(main_text, sizeof(main_text),
		 "[global]\ndefault = unconfined\ninclude_dir = %s\n", dropins);
	config = load_ok(main_text);
	assert_int_equal(config->nfiles, 2);
	assert_non_null(sh_config_find_profile(config, "extra"));
	assert_int_equal(config->nusers, 1);
	sh_config_free(config);

	write_file("conf.d/20-again.conf", "[profile extra]\ncaps = all\n");
	assert_int_equal(sh_config_load(write_file("main.conf", main_text),
					&config, &err),
			 -EINVAL);
	assert_non_null(strstr(err.message, "already defined"));

	unlink(write_file("conf.d/20-again.conf", ""));
	write_file("conf.d/30-global.conf", "[global]\ndefault = extra\n");
	assert_int_equal(sh_config_load(write_file("main.conf", main_text),
					&config, &err),
			 -EINVAL);
	assert_non_null(strstr(err.message, "only allowed in the main file"));
	unlink(write_file("conf.d/30-global.conf", ""));
}

static void root_resolves_by_user_mapping(void **state)
{
	struct sh_resolution resolution;
	struct sh_config *config;
	struct sh_error err = { 0 };

	(void)state;
	config = load_ok("[global]\ndefault = p\n[users]\nunconfined = root\n"
			 "[profile p]\ncaps = all\n");
	assert_int_equal(sh_resolve_user(config, "root", &resolution, &err), 0);
	assert_int_equal(resolution.kind, SH_MATCH_USER);
	assert_true(resolution.profile->unconfined);

	assert_int_equal(sh_resolve_user(config, "nobody", &resolution, &err),
			 0);
	assert_int_equal(resolution.kind, SH_MATCH_DEFAULT);
	assert_string_equal(resolution.profile->name, "p");

	assert_int_equal(sh_resolve_user(config, "Root", &resolution, &err),
			 -ENOENT);
	sh_config_free(config);
}

static void group_mapping_first_line_wins(void **state)
{
	struct sh_resolution resolution;
	struct sh_config *config;
	struct sh_error err = { 0 };

	(void)state;
	/* root is in group "root" (gid 0); "nogroup" exists on Debian */
	config = load_ok("[global]\ndefault = unconfined\n[groups]\n"
			 "a = root\nb = nogroup\n"
			 "[profile a]\ncaps = all\n[profile b]\ncaps = all\n");
	assert_int_equal(sh_resolve_user(config, "root", &resolution, &err), 0);
	assert_int_equal(resolution.kind, SH_MATCH_GROUP);
	assert_string_equal(resolution.profile->name, "a");
	assert_string_equal(resolution.mapping->name, "root");
	sh_config_free(config);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_config_loads),
		cmocka_unit_test(relative_path_refused),
		cmocka_unit_test(empty_caps_keep_none),
		cmocka_unit_test(inherit_replaces_whole_values),
		cmocka_unit_test(log_denied_from_key_and_oci),
		cmocka_unit_test(bad_content_refused),
		cmocka_unit_test(dropins_merge_and_conflict),
		cmocka_unit_test(root_resolves_by_user_mapping),
		cmocka_unit_test(group_mapping_first_line_wins),
	};

	return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
