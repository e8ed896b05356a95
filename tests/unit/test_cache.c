// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests of the compiled-filter cache.  The cache is root's only, so
 * the tests that touch SH_CACHE_DIR skip without root; each removes the
 * entries it wrote.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/filter.h>

#include "cache.h"
#include "sechard.h"

static void make_policy(struct sh_seccomp_policy *policy, const char *deny)
{
	struct sh_error err;

	memset(policy, 0, sizeof(*policy));
	policy->mode = SH_SECCOMP_DENYLIST;
	policy->default_errno = EPERM;
	assert_int_equal(sh_seccomp_add_list(policy, deny, false, "t.conf", 1,
					     &err),
			 0);
}

static void describe(const struct sh_seccomp_policy *policy, char **key,
		     size_t *len)
{
	assert_int_equal(sh_cache_describe(policy, sh_enforce_allowance(
							   SH_ENFORCE_CHILD),
					   SH_ENFORCE_CHILD, key, len),
			 0);
}

static void keys_follow_the_policy(void **state)
{
	struct sh_seccomp_policy first, same, other;
	char *key_first, *key_same, *key_other;
	size_t len_first, len_same, len_other;

	(void)state;
	make_policy(&first, "ptrace, ioctl(arg1 == TIOCSTI)");
	make_policy(&same, "ptrace, ioctl(arg1 == TIOCSTI)");
	make_policy(&other, "ptrace, ioctl(arg1 == TIOCLINUX)");
	describe(&first, &key_first, &len_first);
	describe(&same, &key_same, &len_same);
	describe(&other, &key_other, &len_other);

	assert_int_equal(len_first, len_same);
	assert_memory_equal(key_first, key_same, len_first);
	assert_true(len_first != len_other ||
		    memcmp(key_first, key_other, len_first) != 0);

	free(key_first);
	free(key_same);
	free(key_other);
	sh_seccomp_policy_clear(&first);
	sh_seccomp_policy_clear(&same);
	sh_seccomp_policy_clear(&other);
}

static void store_then_load(void **state)
{
	struct sh_bpf stored[1], loaded[SH_FILTERS_MAX] = { 0 };
	struct sock_filter insns[2] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_STMT(BPF_RET | BPF_K, 0x7fff0000),
	};
	struct sh_seccomp_policy policy;
	char path[128];
	unsigned int count = 0;
	size_t len;
	char *key;

	(void)state;
	if (geteuid() != 0)
		skip();

	make_policy(&policy, "kexec_load");
	describe(&policy, &key, &len);
	stored[0].len = 2;
	stored[0].insns = insns;
	assert_int_equal(sh_cache_store(key, len, stored, 1), 0);

	assert_int_equal(sh_cache_load(key, len, loaded, SH_FILTERS_MAX,
				       &count),
			 0);
	assert_int_equal(count, 1);
	assert_int_equal(loaded[0].len, 2);
	assert_memory_equal(loaded[0].insns, insns, sizeof(insns));
	free(loaded[0].insns);

	/* a file others may write is never trusted */
	sh_cache_entry_path(key, len, path, sizeof(path));
	assert_int_equal(chmod(path, 0666), 0);
	assert_true(sh_cache_load(key, len, loaded, SH_FILTERS_MAX, &count) < 0);

	unlink(path);
	free(key);
	sh_seccomp_policy_clear(&policy);
}

/* Two keys that share a file name must not share an entry. */
static void other_key_in_same_file_misses(void **state)
{
	struct sh_bpf stored[1], loaded[SH_FILTERS_MAX] = { 0 };
	struct sock_filter insns[1] = {
		BPF_STMT(BPF_RET | BPF_K, 0x7fff0000),
	};
	struct sh_seccomp_policy policy;
	char path[128], other_path[128];
	unsigned int count = 0;
	size_t len;
	char *key;

	(void)state;
	if (geteuid() != 0)
		skip();

	make_policy(&policy, "swapon");
	describe(&policy, &key, &len);
	stored[0].len = 1;
	stored[0].insns = insns;
	assert_int_equal(sh_cache_store(key, len, stored, 1), 0);

	/* same length, one byte changed: the stored text must not match */
	key[len - 2] ^= 1;
	sh_cache_entry_path(key, len, other_path, sizeof(other_path));
	key[len - 2] ^= 1;
	sh_cache_entry_path(key, len, path, sizeof(path));
	assert_int_equal(rename(path, other_path), 0);
	key[len - 2] ^= 1;
	assert_int_equal(sh_cache_load(key, len, loaded, SH_FILTERS_MAX,
				       &count),
			 -ENOENT);

	unlink(other_path);
	free(key);
	sh_seccomp_policy_clear(&policy);
}

static void touch_at(const char *dir, const char *name, time_t when)
{
	struct timespec times[2] = { { when, 0 }, { when, 0 } };
	char path[256];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	file = fopen(path, "w");
	assert_non_null(file);
	fclose(file);
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static bool exists_in(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* Pruning keeps the most recently used entries and every other file. */
static void prune_keeps_recent_entries(void **state)
{
	static const char *const entries[] = {
		"00000000000000a1.bpf", "00000000000000a2.bpf",
		"00000000000000a3.bpf", "00000000000000a4.bpf",
	};
	char dir[] = "/tmp/sechard-test-cache.XXXXXX";
	char path[256];
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 4; i++)
		touch_at(dir, entries[i], 1000000 + (time_t)i * 10);
	/* older than every entry, but not an entry name */
	touch_at(dir, "00000000000000a0.txt", 1000);
	touch_at(dir, "0000000000000XYZ.bpf", 1000);

	assert_int_equal(sh_cache_prune(dir, 2), 0);

	assert_false(exists_in(dir, entries[0]));
	assert_false(exists_in(dir, entries[1]));
	assert_true(exists_in(dir, entries[2]));
	assert_true(exists_in(dir, entries[3]));
	assert_true(exists_in(dir, "00000000000000a0.txt"));
	assert_true(exists_in(dir, "0000000000000XYZ.bpf"));

	for (i = 2; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, entries[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/00000000000000a0.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/0000000000000XYZ.bpf", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_follow_the_policy),
		cmocka_unit_test(store_then_load),
		cmocka_unit_test(other_key_in_same_file_misses),
		cmocka_unit_test(prune_keeps_recent_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
