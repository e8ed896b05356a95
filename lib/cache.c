// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A cache of compiled seccomp filters.
 *
 * libseccomp 2.5 takes milliseconds to compile a Docker-sized allow-list,
 * and every login compiles its profile afresh.  Root's sessions therefore
 * keep the BPF they compiled in SH_CACHE_DIR, one file per policy.
 *
 * A cache entry is only ever used for the policy it was compiled from.
 * The file stores the complete description of its input: every rule, the
 * allowance, the libseccomp version and the identity of the binary that
 * compiled it.  A lookup compares that description byte for byte, so
 * neither a hash collision nor an upgrade can hand a session another
 * filter.  The folder and its files pass the same ownership checks as the
 * configuration, and any failure to read or write the cache falls back to
 * compiling.
 *
 * Each distinct policy and each rebuild of the module adds an entry of a
 * few KiB, and entries of an older build are never used again.  A hit
 * marks its entry as used, and storing an entry removes the least
 * recently used ones beyond CACHE_ENTRIES_MAX.  /run is emptied at boot.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "safefile.h"

#define CACHE_MAGIC "sechard-bpf-cache 1\n"
/* A description larger than this is not cached; profiles stay far below. */
#define CACHE_KEY_MAX (1024 * 1024)
/* Entries kept: far more profiles than a host has, times a few builds. */
#define CACHE_ENTRIES_MAX 256
/* An entry's name: 16 hex digits of its key's hash and ".bpf". */
#define CACHE_NAME_LEN 20

struct text {
	char *data;
	size_t len;
	size_t size;
	bool failed;
};

static void text_add(struct text *text, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void text_add(struct text *text, const char *format, ...)
{
	va_list ap;
	int n;

	if (text->failed)
		return;

	for (;;) {
		size_t room = text->size - text->len;
		char *grown;

		va_start(ap, format);
		n = vsnprintf(text->data ? text->data + text->len : NULL, room,
			      format, ap);
		va_end(ap);
		if (n < 0) {
			text->failed = true;
			return;
		}
		if ((size_t)n < room) {
			text->len += (size_t)n;
			return;
		}

		if (text->size + (size_t)n + 4096 > CACHE_KEY_MAX) {
			text->failed = true;
			return;
		}
		grown = realloc(text->data, text->size + (size_t)n + 4096);
		if (!grown) {
			text->failed = true;
			return;
		}
		text->data = grown;
		text->size += (size_t)n + 4096;
	}
}

/*
 * The binary that compiles decides what the filter looks like, so its
 * file identity is part of every key: a rebuilt module never reads the
 * entries of the previous one.
 */
static void add_build_identity(struct text *text)
{
	const char *path;
	struct stat st;
	Dl_info info;

	if (!dladdr((void *)sh_cache_describe, &info) || !info.dli_fname) {
		text->failed = true;
		return;
	}

	/*
	 * For code linked into the program itself, dladdr() may give the
	 * name the program was started by, relative to a working folder
	 * that has changed since; the kernel's link names the file itself.
	 */
	path = info.dli_fname[0] == '/' ? info.dli_fname : "/proc/self/exe";
	if (stat(path, &st) < 0) {
		text->failed = true;
		return;
	}
	text_add(text, "build %s %ju %ju %jd.%09ld %jd\n", path,
		 (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
		 (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		 (intmax_t)st.st_size);
}

static void text_add_bytes(struct text *text, const void *data, size_t len)
{
	char *grown;

	if (text->failed)
		return;
	if (text->size - text->len < len) {
		if (text->size + len + 4096 > CACHE_KEY_MAX) {
			text->failed = true;
			return;
		}
		grown = realloc(text->data, text->size + len + 4096);
		if (!grown) {
			text->failed = true;
			return;
		}
		text->data = grown;
		text->size += len + 4096;
	}
	memcpy(text->data + text->len, data, len);
	text->len += len;
}

static void text_add_u64(struct text *text, uint64_t value)
{
	text_add_bytes(text, &value, sizeof(value));
}

/*
 * Rules are written field by field in binary, never as whole structs, so
 * padding bytes cannot make two equal rules look different.  Printing them
 * with snprintf() took about a tenth of the time a Docker-sized profile
 * spent in pam_open_session() (perf, on the benchmark machine).
 */
static void add_rule(struct text *text, const struct sh_rule *rule)
{
	unsigned int i;

	text_add_bytes(text, rule->syscall, strnlen(rule->syscall,
						      sizeof(rule->syscall)) + 1);
	text_add_u64(text, rule->allow);
	text_add_u64(text, rule->action.kind);
	text_add_u64(text, (uint64_t)(int64_t)rule->action.errno_value);
	text_add_u64(text, rule->ncond);
	for (i = 0; i < rule->ncond && i < SH_RULE_CONDS_MAX; i++) {
		text_add_u64(text, rule->cond[i].arg);
		text_add_u64(text, rule->cond[i].op);
		text_add_u64(text, rule->cond[i].value);
		text_add_u64(text, rule->cond[i].value_two);
		text_add_u64(text, rule->cond[i].low32);
	}
}

int sh_cache_describe(const struct sh_seccomp_policy *policy,
		      const char *const *allowance, int point, char **ret,
		      size_t *ret_len)
{
	const struct scmp_version *version = seccomp_version();
	struct text text = { 0 };
	unsigned int i;
	size_t r;

	text_add(&text, CACHE_MAGIC);
	add_build_identity(&text);
	text_add(&text, "libseccomp %u.%u.%u native %u point %d\n",
		 version->major, version->minor, version->micro,
		 seccomp_arch_native(), point);
	text_add(&text, "mode %d default %d %d errno %d complain %d unnamed %d arch",
		 policy->mode, policy->default_action.kind,
		 policy->default_action.errno_value, policy->default_errno,
		 policy->complain, policy->unnamed_below_max_denied);
	for (i = 0; i < policy->narch && i < 4; i++)
		text_add(&text, " %u", policy->arch[i]);
	text_add(&text, "\n");

	text_add(&text, "rules %zu\n", policy->nrules);
	for (r = 0; r < policy->nrules; r++)
		add_rule(&text, &policy->rules[r]);
	for (; allowance && *allowance; allowance++)
		text_add(&text, "allow %s\n", *allowance);
	text_add(&text, "end\n");

	if (text.failed) {
		free(text.data);
		return -ENOMEM;
	}
	*ret = text.data;
	*ret_len = text.len;
	return 0;
}

/* FNV-1a names the file; the stored description decides a hit. */
static uint64_t fnv1a(const char *data, size_t len)
{
	uint64_t hash = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < len; i++) {
		hash ^= (unsigned char)data[i];
		hash *= UINT64_C(0x100000001b3);
	}
	return hash;
}

void sh_cache_entry_path(const char *key, size_t len, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%016" PRIx64 ".bpf", SH_CACHE_DIR,
		 fnv1a(key, len));
}

static bool read_exact(int fd, void *buf, size_t len)
{
	return read(fd, buf, len) == (ssize_t)len;
}

int sh_cache_load(const char *key, size_t len, struct sh_bpf *filters,
		  unsigned int max, unsigned int *ret_count)
{
	char path[sizeof(SH_CACHE_DIR) + 32];
	uint32_t stored_len, count, insns;
	struct sh_bpf loaded[SH_FILTERS_MAX] = { 0 };
	char *stored = NULL;
	unsigned int i;
	int fd, r = -ENOENT;

	if (geteuid() != 0 || max > SH_FILTERS_MAX)
		return -EPERM;

	sh_cache_entry_path(key, len, path, sizeof(path));
	fd = sh_safe_open(path, false, NULL);
	if (fd < 0)
		return fd;

	if (!read_exact(fd, &stored_len, sizeof(stored_len)) ||
	    stored_len != len)
		goto out;
	stored = malloc(len);
	if (!stored || !read_exact(fd, stored, len) ||
	    memcmp(stored, key, len) != 0)
		goto out;

	if (!read_exact(fd, &count, sizeof(count)) || count > max)
		goto out;
	for (i = 0; i < count; i++) {
		if (!read_exact(fd, &insns, sizeof(insns)) || insns == 0 ||
		    insns > 4096)
			goto out_free;
		loaded[i].insns = malloc(insns * sizeof(struct sock_filter));
		if (!loaded[i].insns ||
		    !read_exact(fd, loaded[i].insns,
				insns * sizeof(struct sock_filter)))
			goto out_free;
		loaded[i].len = (unsigned short)insns;
	}

	memcpy(filters, loaded, sizeof(loaded[0]) * count);
	*ret_count = count;
	r = 0;

	/* the time of last use, for sh_cache_prune() */
	futimens(fd, NULL);
	goto out;

out_free:
	for (i = 0; i < count && i < SH_FILTERS_MAX; i++)
		free(loaded[i].insns);
out:
	free(stored);
	close(fd);
	return r;
}

static bool is_entry_name(const char *name)
{
	size_t i;

	if (strlen(name) != CACHE_NAME_LEN ||
	    strcmp(name + CACHE_NAME_LEN - 4, ".bpf") != 0)
		return false;
	for (i = 0; i < CACHE_NAME_LEN - 4; i++) {
		if (!strchr("0123456789abcdef", name[i]))
			return false;
	}
	return true;
}

struct entry_use {
	char name[CACHE_NAME_LEN + 1];
	struct timespec used;
};

static int compare_use(const void *a, const void *b)
{
	const struct timespec *x = &((const struct entry_use *)a)->used;
	const struct timespec *y = &((const struct entry_use *)b)->used;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return (x->tv_nsec > y->tv_nsec) - (x->tv_nsec < y->tv_nsec);
}

/* List the entries of DIR with their time of last use into *RET. */
static int list_entries(DIR *dir, struct entry_use **ret, size_t *ret_count)
{
	struct entry_use *entries = NULL, *grown;
	size_t count = 0, size = 0;
	struct dirent *dirent;
	struct stat st;

	while ((dirent = readdir(dir))) {
		if (!is_entry_name(dirent->d_name) ||
		    fstatat(dirfd(dir), dirent->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;

		if (count == size) {
			size = size ? 2 * size : 64;
			grown = realloc(entries, size * sizeof(*entries));
			if (!grown) {
				free(entries);
				return -ENOMEM;
			}
			entries = grown;
		}
		snprintf(entries[count].name, sizeof(entries[count].name),
			 "%s", dirent->d_name);
		entries[count].used = st.st_mtim;
		count++;
	}

	*ret = entries;
	*ret_count = count;
	return 0;
}

int sh_cache_prune(const char *path, size_t keep)
{
	struct entry_use *entries;
	size_t count, i;
	DIR *dir;
	int r;

	dir = opendir(path);
	if (!dir)
		return -errno;

	r = list_entries(dir, &entries, &count);
	if (r == 0 && count > keep) {
		qsort(entries, count, sizeof(*entries), compare_use);
		/* a session that has an entry open still reads all of it */
		for (i = 0; i < count - keep; i++)
			unlinkat(dirfd(dir), entries[i].name, 0);
	}
	if (r == 0)
		free(entries);
	closedir(dir);
	return r;
}

static int make_cache_dir(void)
{
	struct stat st;

	if (mkdir(SH_CACHE_DIR, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(SH_CACHE_DIR, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 0077))
		return -EPERM;
	return 0;
}

static bool write_exact(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len;
}

int sh_cache_store(const char *key, size_t len, const struct sh_bpf *filters,
		   unsigned int count)
{
	char path[sizeof(SH_CACHE_DIR) + 32];
	char fd_path[64];
	uint32_t value;
	unsigned int i;
	bool written;
	int fd, r;

	if (geteuid() != 0)
		return -EPERM;
	r = make_cache_dir();
	if (r < 0)
		return r;

	/*
	 * The entry is written without a name and linked into place only
	 * when complete.  A login program inherits the user's resource
	 * limits (su is setuid), so a write may end the process with
	 * SIGXFSZ; an unnamed file then vanishes with it.
	 */
	fd = open(SH_CACHE_DIR, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;

	value = (uint32_t)len;
	written = write_exact(fd, &value, sizeof(value)) &&
		  write_exact(fd, key, len);
	value = count;
	written = written && write_exact(fd, &value, sizeof(value));
	for (i = 0; written && i < count; i++) {
		value = filters[i].len;
		written = write_exact(fd, &value, sizeof(value)) &&
			  write_exact(fd, filters[i].insns,
				      filters[i].len * sizeof(struct sock_filter));
	}

	/*
	 * linkat() never replaces, so readers see a whole entry or none.  An
	 * entry already there came from the same input, or is left for the
	 * byte-for-byte comparison to reject.
	 */
	sh_cache_entry_path(key, len, path, sizeof(path));
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
	if (written && linkat(AT_FDCWD, fd_path, AT_FDCWD, path,
			      AT_SYMLINK_FOLLOW) < 0 && errno != EEXIST)
		written = false;
	close(fd);
	if (!written)
		return -EIO;

	sh_cache_prune(SH_CACHE_DIR, CACHE_ENTRIES_MAX);
	return 0;
}
