// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Configuration loading.
 *
 * iniparser splits each file into sections, keys and values.  It cannot say
 * on which line a key was, it keeps the last of two equal keys silently and
 * it lowercases every name, so a scan of our own runs first over the same
 * bytes: it bounds line length, records the line of every key, rejects
 * duplicates and upper-case names, and its key set must match iniparser's
 * exactly.  Values come from iniparser and are parsed here with strict
 * helpers.
 *
 * Loading has three steps: read every file into raw settings, resolve
 * "inherit =" chains, then build typed profiles and mappings.  Nothing is
 * kept from a configuration with any error.
 */
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <iniparser.h>

#include "nss.h"
#include "safefile.h"
#include "sechard.h"

/* Keys a profile section may hold; index = enum profile_key. */
enum profile_key {
	KEY_INHERIT,
	KEY_CAPS,
	KEY_NO_NEW_PRIVS,
	KEY_ISOLATE_PTRACE,
	KEY_SELINUX,
	KEY_APPARMOR,
	KEY_SECCOMP,
	KEY_SECCOMP_ALLOW,
	KEY_SECCOMP_DENY,
	KEY_SECCOMP_ERRNO,
	KEY_SECCOMP_ACTION,
	KEY_SECCOMP_COMPLAIN,
	KEY_SECCOMP_LOG_DENIED,
	KEY_SECCOMP_OCI,
	KEY_SECCOMP_ARCH,
	PROFILE_KEY_COUNT,
};

static const char *const profile_key_names[PROFILE_KEY_COUNT] = {
	[KEY_INHERIT] = "inherit",
	[KEY_CAPS] = "caps",
	[KEY_NO_NEW_PRIVS] = "no_new_privs",
	[KEY_ISOLATE_PTRACE] = "isolate_ptrace",
	[KEY_SELINUX] = "selinux_exec_context",
	[KEY_APPARMOR] = "apparmor_exec_profile",
	[KEY_SECCOMP] = "seccomp",
	[KEY_SECCOMP_ALLOW] = "seccomp_allow",
	[KEY_SECCOMP_DENY] = "seccomp_deny",
	[KEY_SECCOMP_ERRNO] = "seccomp_errno",
	[KEY_SECCOMP_ACTION] = "seccomp_action",
	[KEY_SECCOMP_COMPLAIN] = "seccomp_complain",
	[KEY_SECCOMP_LOG_DENIED] = "seccomp_log_denied",
	[KEY_SECCOMP_OCI] = "seccomp_oci",
	[KEY_SECCOMP_ARCH] = "seccomp_arch",
};

/* One key = value as written, before inheritance and typing. */
struct raw_value {
	char *text;		/* NULL: not set */
	const char *file;
	unsigned int line;
	bool inherited;		/* copied from the profile named by inherit */
};

struct raw_profile {
	char name[SH_PROFILE_NAME_MAX + 1];
	const char *file;
	unsigned int line;
	struct raw_value key[PROFILE_KEY_COUNT];
	/* resolution state for inherit chains */
	bool resolved;
	bool resolving;
};

/* A section:key seen by the line scan. */
struct scanned_key {
	char section[SH_PROFILE_NAME_MAX + 16];
	char key[64];
	unsigned int line;
};

struct scan {
	const char *file;
	size_t nkeys;
	size_t capacity;
	struct scanned_key *keys;
	char sections[256][SH_PROFILE_NAME_MAX + 16];
	unsigned int section_lines[256];
	size_t nsections;
};

struct loader {
	struct sh_config *config;
	struct raw_profile *raw;
	size_t nraw;
	struct raw_value global_default;
	struct raw_value global_include_dir;
	/* mappings collected before profiles exist: name, profile, source */
	struct raw_mapping {
		char *name;
		char profile[SH_PROFILE_NAME_MAX + 1];
		const char *file;
		unsigned int line;
	} *users, *groups;
	size_t nusers, ngroups;
};

/* ------------------------------------------------------------------------ */
/* Line scan */

static char *trim(char *text)
{
	char *end;

	while (isspace((unsigned char)*text))
		text++;
	end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return text;
}

static bool valid_key_name(const char *key)
{
	if (!key[0])
		return false;
	for (; *key; key++) {
		if (!islower((unsigned char)*key) &&
		    !isdigit((unsigned char)*key) && *key != '_' &&
		    *key != '-')
			return false;
	}
	return true;
}

static bool valid_profile_name(const char *name)
{
	return strlen(name) <= SH_PROFILE_NAME_MAX && valid_key_name(name);
}

static int scan_add_key(struct scan *scan, const char *section,
			const char *key, unsigned int line,
			struct sh_error *err)
{
	struct scanned_key *grown;
	size_t i;

	for (i = 0; i < scan->nkeys; i++) {
		if (strcmp(scan->keys[i].section, section) == 0 &&
		    strcmp(scan->keys[i].key, key) == 0)
			return sh_error_set(err, EINVAL, scan->file, line, key,
					    "duplicated key: first set on line %u",
					    scan->keys[i].line);
	}

	if (scan->nkeys == scan->capacity) {
		size_t capacity = scan->capacity ? scan->capacity * 2 : 32;

		grown = realloc(scan->keys, capacity * sizeof(*grown));
		if (!grown)
			return sh_error_set(err, ENOMEM, scan->file, line, key,
					    "out of memory");
		scan->keys = grown;
		scan->capacity = capacity;
	}

	snprintf(scan->keys[scan->nkeys].section,
		 sizeof(scan->keys[0].section), "%s", section);
	snprintf(scan->keys[scan->nkeys].key, sizeof(scan->keys[0].key), "%s",
		 key);
	scan->keys[scan->nkeys].line = line;
	scan->nkeys++;
	return 0;
}

static int scan_section(struct scan *scan, char *text, unsigned int line,
			struct sh_error *err)
{
	size_t len = strlen(text);
	char *name;
	size_t i;

	if (text[len - 1] != ']')
		return sh_error_set(err, EINVAL, scan->file, line, NULL,
				    "syntax error: section header must end with ']'");
	text[len - 1] = '\0';
	name = trim(text + 1);

	if (strlen(name) >= sizeof(scan->sections[0]))
		return sh_error_set(err, ENAMETOOLONG, scan->file, line, name,
				    "section name too long");
	for (i = 0; name[i]; i++) {
		if (isupper((unsigned char)name[i]))
			return sh_error_set(err, EINVAL, scan->file, line, name,
					    "section names must be lower case");
	}
	for (i = 0; i < scan->nsections; i++) {
		if (strcmp(scan->sections[i], name) == 0)
			return sh_error_set(err, EINVAL, scan->file, line, name,
					    "section appears twice in this file, first on line %u",
					    scan->section_lines[i]);
	}
	if (scan->nsections == sizeof(scan->sections) / sizeof(scan->sections[0]))
		return sh_error_set(err, E2BIG, scan->file, line, name,
				    "too many sections in one file");

	strcpy(scan->sections[scan->nsections], name);
	scan->section_lines[scan->nsections] = line;
	scan->nsections++;
	return 0;
}

static int scan_line(struct scan *scan, char *text, unsigned int line,
		     struct sh_error *err)
{
	const char *section;
	char *equals, *key;
	size_t len;

	text = trim(text);
	if (!text[0] || text[0] == ';' || text[0] == '#')
		return 0;

	len = strlen(text);
	if (text[len - 1] == '\\')
		return sh_error_set(err, EINVAL, scan->file, line, NULL,
				    "continuation lines are not supported");

	if (text[0] == '[')
		return scan_section(scan, text, line, err);

	equals = strchr(text, '=');
	if (!equals)
		return sh_error_set(err, EINVAL, scan->file, line, NULL,
				    "syntax error: expected \"key = value\" or \"[section]\"");
	if (!scan->nsections)
		return sh_error_set(err, EINVAL, scan->file, line, NULL,
				    "key outside of any section");

	*equals = '\0';
	key = trim(text);
	section = scan->sections[scan->nsections - 1];
	if (!valid_key_name(key) || strlen(key) >= sizeof(scan->keys[0].key))
		return sh_error_set(err, EINVAL, scan->file, line, key,
				    "invalid key name: use lower-case letters, digits, '_' and '-'");

	return scan_add_key(scan, section, key, line, err);
}

static int scan_text(struct scan *scan, char *text, size_t size,
		     struct sh_error *err)
{
	unsigned int line = 0;
	char *start = text, *end;
	int r;

	if (memchr(text, '\0', size))
		return sh_error_set(err, EINVAL, scan->file, 0, NULL,
				    "file contains a NUL byte");

	while (start < text + size) {
		line++;
		end = memchr(start, '\n', (size_t)(text + size - start));
		if (!end)
			end = text + size;
		if ((size_t)(end - start) > SH_LINE_MAX)
			return sh_error_set(err, EINVAL, scan->file, line, NULL,
					    "line longer than %d characters",
					    SH_LINE_MAX);
		*end = '\0';
		r = scan_line(scan, start, line, err);
		if (r < 0)
			return r;
		start = end + 1;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* iniparser, fed exactly the bytes that were scanned */

static char iniparser_message[512];

static int iniparser_error(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(iniparser_message, sizeof(iniparser_message), format, ap);
	va_end(ap);
	return 0;
}

static int ini_load_text(const char *file, const char *text, size_t size,
			 dictionary **ret, struct sh_error *err)
{
	char fd_path[64];
	dictionary *dict;
	int fd;

	/*
	 * iniparser 4.1 only reads from a path.  A memfd holding the bytes
	 * already checked keeps it from reading anything else.
	 */
	fd = memfd_create("sechard-config", MFD_CLOEXEC);
	if (fd < 0)
		return sh_error_set(err, errno, file, 0, NULL,
				    "memfd_create failed: %s", strerror(errno));
	if (write(fd, text, size) != (ssize_t)size) {
		close(fd);
		return sh_error_set(err, EIO, file, 0, NULL,
				    "cannot copy configuration to memory");
	}

	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
	iniparser_message[0] = '\0';
	iniparser_set_error_callback(iniparser_error);
	dict = iniparser_load(fd_path);
	close(fd);

	if (!dict)
		return sh_error_set(err, EINVAL, file, 0, NULL,
				    "cannot parse: %s",
				    iniparser_message[0] ? trim(iniparser_message) :
							   "iniparser failed");
	*ret = dict;
	return 0;
}

/* Both readers must have seen the same keys, or a value could be misread. */
static int check_scan_matches(const struct scan *scan, dictionary *dict,
			      struct sh_error *err)
{
	char full[sizeof(scan->keys[0].section) + sizeof(scan->keys[0].key) + 2];
	int dict_keys = 0;
	size_t i;

	for (i = 0; i < scan->nsections; i++)
		dict_keys += iniparser_getsecnkeys(dict, scan->sections[i]);

	if ((size_t)dict_keys != scan->nkeys)
		return sh_error_set(err, EINVAL, scan->file, 0, NULL,
				    "cannot parse: %d keys found by iniparser, %zu by line scan",
				    dict_keys, scan->nkeys);

	for (i = 0; i < scan->nkeys; i++) {
		snprintf(full, sizeof(full), "%s:%s", scan->keys[i].section,
			 scan->keys[i].key);
		if (!iniparser_getstring(dict, full, NULL))
			return sh_error_set(err, EINVAL, scan->file,
					    scan->keys[i].line, full,
					    "cannot parse this line");
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Raw settings */

static int raw_set(struct raw_value *value, const char *text,
		   const char *file, unsigned int line, struct sh_error *err)
{
	value->text = strdup(text);
	if (!value->text)
		return sh_error_set(err, ENOMEM, file, line, NULL,
				    "out of memory");
	value->file = file;
	value->line = line;
	return 0;
}

static struct raw_profile *find_raw(struct loader *loader, const char *name)
{
	size_t i;

	for (i = 0; i < loader->nraw; i++) {
		if (strcmp(loader->raw[i].name, name) == 0)
			return &loader->raw[i];
	}
	return NULL;
}

static int add_raw_profile(struct loader *loader, const char *name,
			   const char *file, unsigned int line,
			   struct raw_profile **ret, struct sh_error *err)
{
	struct raw_profile *grown, *existing;

	if (!valid_profile_name(name))
		return sh_error_set(err, EINVAL, file, line, name,
				    "invalid profile name: use 1 to %d lower-case letters, digits, '_' and '-'",
				    SH_PROFILE_NAME_MAX);
	if (strcmp(name, SH_PROFILE_UNCONFINED) == 0)
		return sh_error_set(err, EINVAL, file, line, name,
				    "the profile \"unconfined\" is built in and cannot be redefined");

	existing = find_raw(loader, name);
	if (existing)
		return sh_error_set(err, EINVAL, file, line, name,
				    "profile already defined in %s:%u",
				    existing->file, existing->line);

	grown = realloc(loader->raw, (loader->nraw + 1) * sizeof(*grown));
	if (!grown)
		return sh_error_set(err, ENOMEM, file, line, name,
				    "out of memory");
	loader->raw = grown;

	*ret = &loader->raw[loader->nraw++];
	memset(*ret, 0, sizeof(**ret));
	strcpy((*ret)->name, name);
	(*ret)->file = file;
	(*ret)->line = line;
	return 0;
}

static int profile_key_index(const char *key)
{
	int i;

	for (i = 0; i < PROFILE_KEY_COUNT; i++) {
		if (strcmp(profile_key_names[i], key) == 0)
			return i;
	}
	return -1;
}

/*
 * Split a mapping value into names.  Names are exact, may hold spaces and
 * are separated by commas, which account names never contain.
 */
static int add_mappings(struct loader *loader, bool users,
			const char *profile, const char *value,
			const char *file, unsigned int line,
			struct sh_error *err)
{
	struct raw_mapping **list = users ? &loader->users : &loader->groups;
	size_t *count = users ? &loader->nusers : &loader->ngroups;
	char buffer[SH_LINE_MAX + 1];
	char *item, *save = NULL;
	int r = 0;

	snprintf(buffer, sizeof(buffer), "%s", value);
	if (!trim(buffer)[0])
		return sh_error_set(err, EINVAL, file, line, profile,
				    "empty list: name at least one %s",
				    users ? "user" : "group");

	for (item = strtok_r(buffer, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		struct raw_mapping *grown;
		char *name = trim(item);
		size_t i;

		if (!name[0])
			return sh_error_set(err, EINVAL, file, line, profile,
					    "empty name in list");
		if (strlen(name) > SH_ACCOUNT_NAME_MAX)
			return sh_error_set(err, ENAMETOOLONG, file, line,
					    profile, "name longer than %d characters",
					    SH_ACCOUNT_NAME_MAX);
		for (i = 0; name[i]; i++) {
			if (iscntrl((unsigned char)name[i]))
				return sh_error_set(err, EINVAL, file, line,
						    profile,
						    "control character in name");
		}
		for (i = 0; i < *count; i++) {
			if (strcmp((*list)[i].name, name) == 0)
				return sh_error_set(err, EINVAL, file, line,
						    profile,
						    "%s \"%s\" is already mapped in %s:%u",
						    users ? "user" : "group",
						    name, (*list)[i].file,
						    (*list)[i].line);
		}

		grown = realloc(*list, (*count + 1) * sizeof(*grown));
		if (!grown)
			return sh_error_set(err, ENOMEM, file, line, profile,
					    "out of memory");
		*list = grown;
		grown[*count].name = strdup(name);
		if (!grown[*count].name)
			return sh_error_set(err, ENOMEM, file, line, profile,
					    "out of memory");
		snprintf(grown[*count].profile, sizeof(grown[0].profile), "%s",
			 profile);
		grown[*count].file = file;
		grown[*count].line = line;
		(*count)++;
	}
	return r;
}

static int read_section_key(struct loader *loader, const char *section,
			    const struct scanned_key *scanned,
			    const char *value, const char *file,
			    bool main_file, struct sh_error *err)
{
	const char *key = scanned->key;
	unsigned int line = scanned->line;
	struct raw_profile *profile;
	int index;

	if (strcmp(section, "global") == 0) {
		if (!main_file)
			return sh_error_set(err, EINVAL, file, line, key,
					    "[global] is only allowed in the main file");
		if (strcmp(key, "default") == 0)
			return raw_set(&loader->global_default, value, file,
				       line, err);
		if (strcmp(key, "include_dir") == 0)
			return raw_set(&loader->global_include_dir, value,
				       file, line, err);
		return sh_error_set(err, EINVAL, file, line, key,
				    "unknown key in [global]");
	}

	if (strcmp(section, "users") == 0 || strcmp(section, "groups") == 0)
		return add_mappings(loader, section[0] == 'u', key, value,
				    file, line, err);

	if (strncmp(section, "profile ", 8) != 0)
		return sh_error_set(err, EINVAL, file, line, section,
				    "unknown section: expected [global], [users], [groups] or [profile NAME]");

	profile = find_raw(loader, section + 8);
	index = profile_key_index(key);
	if (index < 0)
		return sh_error_set(err, EINVAL, file, line, key,
				    "unknown key in profile \"%s\"",
				    profile->name);
	return raw_set(&profile->key[index], value, file, line, err);
}

static int read_sections(struct loader *loader, const struct scan *scan,
			 bool main_file, struct sh_error *err)
{
	struct raw_profile *profile;
	size_t i;
	int r;

	for (i = 0; i < scan->nsections; i++) {
		const char *section = scan->sections[i];

		if (strncmp(section, "profile ", 8) == 0) {
			r = add_raw_profile(loader, section + 8,
					    scan->file, scan->section_lines[i],
					    &profile, err);
			if (r < 0)
				return r;
		} else if (strcmp(section, "global") == 0) {
			if (!main_file)
				return sh_error_set(err, EINVAL, scan->file,
						    scan->section_lines[i],
						    section,
						    "[global] is only allowed in the main file");
		} else if (strcmp(section, "users") != 0 &&
			   strcmp(section, "groups") != 0) {
			return sh_error_set(err, EINVAL, scan->file,
					    scan->section_lines[i], section,
					    "unknown section: expected [global], [users], [groups] or [profile NAME]");
		}
	}
	return 0;
}

static int read_file(struct loader *loader, const char *path, bool main_file,
		     struct sh_error *err)
{
	char full[SH_PROFILE_NAME_MAX + 96];
	struct sh_config *config = loader->config;
	struct scan scan = { 0 };
	dictionary *dict = NULL;
	const char *file;
	char *text = NULL, *scan_copy = NULL;
	size_t size, i;
	int r;

	if (config->nfiles == SH_FILES_MAX)
		return sh_error_set(err, E2BIG, path, 0, NULL,
				    "more than %d configuration files",
				    SH_FILES_MAX);
	config->files[config->nfiles] = strdup(path);
	if (!config->files[config->nfiles])
		return sh_error_set(err, ENOMEM, path, 0, NULL, "out of memory");
	file = config->files[config->nfiles++];
	scan.file = file;

	r = sh_safe_read(file, &text, &size, err);
	if (r < 0)
		return r;

	/*
	 * The scan runs first for its precise messages; it writes NULs at
	 * line ends, so it works on a copy and iniparser gets the original.
	 */
	scan_copy = malloc(size + 1);
	if (!scan_copy) {
		r = sh_error_set(err, ENOMEM, file, 0, NULL, "out of memory");
		goto out;
	}
	memcpy(scan_copy, text, size + 1);
	r = scan_text(&scan, scan_copy, size, err);
	if (r < 0)
		goto out;
	r = ini_load_text(file, text, size, &dict, err);
	if (r < 0)
		goto out;
	r = check_scan_matches(&scan, dict, err);
	if (r < 0)
		goto out;

	r = read_sections(loader, &scan, main_file, err);
	if (r < 0)
		goto out;

	for (i = 0; i < scan.nkeys; i++) {
		const char *value;

		snprintf(full, sizeof(full), "%s:%s", scan.keys[i].section,
			 scan.keys[i].key);
		value = iniparser_getstring(dict, full, NULL);
		r = read_section_key(loader, scan.keys[i].section,
				     &scan.keys[i], value ? value : "", file,
				     main_file, err);
		if (r < 0)
			goto out;
	}

out:
	if (dict)
		iniparser_freedict(dict);
	free(scan.keys);
	free(scan_copy);
	free(text);
	return r;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Drop-ins: every "*.conf" in the folder, in byte order of their names. */
static int read_include_dir(struct loader *loader, struct sh_error *err)
{
	const struct raw_value *dir_value = &loader->global_include_dir;
	char *names[SH_FILES_MAX];
	size_t nnames = 0, i;
	struct dirent *entry;
	char path[PATH_MAX];
	DIR *dir;
	int fd, r = 0;

	fd = sh_safe_open(dir_value->text, true, err);
	if (fd < 0) {
		/* name the line that asked for the folder, too */
		if (err)
			snprintf(err->key, sizeof(err->key),
				 "global:include_dir (%s:%u)", dir_value->file,
				 dir_value->line);
		return fd;
	}
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return sh_error_set(err, errno, dir_value->text, 0, NULL,
				    "cannot read folder: %s", strerror(errno));
	}

	while ((entry = readdir(dir))) {
		size_t len = strlen(entry->d_name);

		if (entry->d_name[0] == '.' || len < 6 ||
		    strcmp(entry->d_name + len - 5, ".conf") != 0)
			continue;
		if (nnames == SH_FILES_MAX - 1) {
			r = sh_error_set(err, E2BIG, dir_value->text, 0, NULL,
					 "more than %d drop-in files",
					 SH_FILES_MAX - 1);
			goto out;
		}
		names[nnames] = strdup(entry->d_name);
		if (!names[nnames]) {
			r = sh_error_set(err, ENOMEM, dir_value->text, 0, NULL,
					 "out of memory");
			goto out;
		}
		nnames++;
	}
	qsort(names, nnames, sizeof(names[0]), compare_names);

	for (i = 0; i < nnames && r == 0; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir_value->text,
			     names[i]) >= (int)sizeof(path))
			r = sh_error_set(err, ENAMETOOLONG, dir_value->text, 0,
					 names[i], "path too long");
		else
			r = read_file(loader, path, false, err);
	}

out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	closedir(dir);
	return r;
}

/* ------------------------------------------------------------------------ */
/* Inheritance */

static int resolve_inherit(struct loader *loader, struct raw_profile *profile,
			   unsigned int depth, struct sh_error *err)
{
	struct raw_value *inherit = &profile->key[KEY_INHERIT];
	struct raw_profile *parent;
	int i, r;

	if (profile->resolved || !inherit->text) {
		profile->resolved = true;
		return 0;
	}
	if (profile->resolving || depth > SH_INHERIT_DEPTH_MAX)
		return sh_error_set(err, ELOOP, inherit->file, inherit->line,
				    "inherit",
				    "profile \"%s\" builds on itself through \"inherit\"",
				    profile->name);

	if (strcmp(inherit->text, SH_PROFILE_UNCONFINED) == 0) {
		/* "unconfined" has no settings to inherit. */
		profile->resolved = true;
		return 0;
	}
	parent = find_raw(loader, inherit->text);
	if (!parent)
		return sh_error_set(err, EINVAL, inherit->file, inherit->line,
				    "inherit", "unknown profile \"%s\"",
				    inherit->text);

	profile->resolving = true;
	r = resolve_inherit(loader, parent, depth + 1, err);
	profile->resolving = false;
	if (r < 0)
		return r;

	for (i = 0; i < PROFILE_KEY_COUNT; i++) {
		if (i == KEY_INHERIT || profile->key[i].text ||
		    !parent->key[i].text)
			continue;
		r = raw_set(&profile->key[i], parent->key[i].text,
			    parent->key[i].file, parent->key[i].line, err);
		if (r < 0)
			return r;
		profile->key[i].inherited = true;
	}
	profile->resolved = true;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Typed profiles */

static int build_caps(struct sh_profile *profile, const struct raw_value *raw,
		      struct sh_error *err)
{
	char buffer[SH_LINE_MAX + 1];
	char *item, *save = NULL;
	int cap;

	profile->caps_keep_all = true;
	if (!raw->text)
		return 0;

	profile->src_caps = (struct sh_source){ raw->file, raw->line };
	snprintf(buffer, sizeof(buffer), "%s", raw->text);
	if (strcmp(trim(buffer), "all") == 0)
		return 0;

	/* An explicitly empty value keeps no capability at all. */
	profile->caps_keep_all = false;
	profile->caps_keep = 0;
	for (item = strtok_r(buffer, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *name = trim(item);

		if (!name[0])
			return sh_error_set(err, EINVAL, raw->file, raw->line,
					    "caps", "empty capability name in list");
		cap = sh_caps_from_name(name);
		if (cap < 0)
			return sh_error_set(err, EINVAL, raw->file, raw->line,
					    "caps",
					    "unknown capability \"%s\" (the running kernel knows up to %d)",
					    name, sh_caps_last_cap());
		profile->caps_keep |= UINT64_C(1) << cap;
	}
	return 0;
}

static int build_bool(bool *ret, const struct raw_value *raw,
		      const char *key, bool fallback, struct sh_error *err)
{
	if (!raw->text) {
		*ret = fallback;
		return 0;
	}
	if (sh_parse_bool(raw->text, ret) < 0)
		return sh_error_set(err, EINVAL, raw->file, raw->line, key,
				    "invalid value \"%s\": use yes or no",
				    raw->text);
	return 0;
}

static int build_label(char **ret, struct sh_source *source,
		       const struct raw_value *raw, const char *key,
		       struct sh_error *err)
{
	size_t i;

	if (!raw->text)
		return 0;
	if (!raw->text[0] || strlen(raw->text) > 255)
		return sh_error_set(err, EINVAL, raw->file, raw->line, key,
				    "label must hold 1 to 255 characters");
	for (i = 0; raw->text[i]; i++) {
		if (!isgraph((unsigned char)raw->text[i]))
			return sh_error_set(err, EINVAL, raw->file, raw->line,
					    key, "label must not contain blanks or control characters");
	}

	*ret = strdup(raw->text);
	if (!*ret)
		return sh_error_set(err, ENOMEM, raw->file, raw->line, key,
				    "out of memory");
	*source = (struct sh_source){ raw->file, raw->line };
	return 0;
}

static int build_seccomp_mode(struct sh_profile *profile,
			      const struct raw_profile *raw,
			      struct sh_error *err)
{
	const struct raw_value *mode = &raw->key[KEY_SECCOMP];

	if (!mode->text) {
		profile->seccomp.mode = SH_SECCOMP_OFF;
		return 0;
	}
	profile->src_seccomp = (struct sh_source){ mode->file, mode->line };

	if (strcmp(mode->text, "off") == 0)
		profile->seccomp.mode = SH_SECCOMP_OFF;
	else if (strcmp(mode->text, "allowlist") == 0)
		profile->seccomp.mode = SH_SECCOMP_ALLOWLIST;
	else if (strcmp(mode->text, "denylist") == 0)
		profile->seccomp.mode = SH_SECCOMP_DENYLIST;
	else
		return sh_error_set(err, EINVAL, mode->file, mode->line,
				    "seccomp",
				    "invalid value \"%s\": use off, allowlist or denylist",
				    mode->text);
	return 0;
}

static int build_seccomp_action(struct sh_profile *profile,
				const struct raw_profile *raw,
				struct sh_error *err)
{
	const struct raw_value *errno_value = &raw->key[KEY_SECCOMP_ERRNO];
	const struct raw_value *action = &raw->key[KEY_SECCOMP_ACTION];
	int value;

	profile->seccomp.default_errno = EPERM;
	profile->seccomp.default_action.kind = SH_ACT_ERRNO;

	if (errno_value->text) {
		value = sh_errno_from_name(errno_value->text);
		if (value <= 0)
			return sh_error_set(err, EINVAL, errno_value->file,
					    errno_value->line, "seccomp_errno",
					    "unknown errno \"%s\"",
					    errno_value->text);
		profile->seccomp.default_errno = value;
	}

	if (!action->text || strcmp(action->text, "errno") == 0)
		return 0;
	if (strcmp(action->text, "kill") == 0)
		profile->seccomp.default_action.kind = SH_ACT_KILL_PROCESS;
	else if (strcmp(action->text, "log") == 0)
		profile->seccomp.default_action.kind = SH_ACT_LOG;
	else
		return sh_error_set(err, EINVAL, action->file, action->line,
				    "seccomp_action",
				    "invalid value \"%s\": use errno, kill or log",
				    action->text);
	return 0;
}

static int build_seccomp_arch(struct sh_profile *profile,
			      const struct raw_value *raw,
			      struct sh_error *err)
{
	char buffer[SH_LINE_MAX + 1];
	char *item, *save = NULL;
	uint32_t token;

	if (!raw->text)
		return 0;

	snprintf(buffer, sizeof(buffer), "%s", raw->text);
	for (item = strtok_r(buffer, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *name = trim(item);

		token = seccomp_arch_resolve_name(name);
		if (!token || token == seccomp_arch_native())
			return sh_error_set(err, EINVAL, raw->file, raw->line,
					    "seccomp_arch",
					    "unknown or native architecture \"%s\"",
					    name);
		if (profile->seccomp.narch == 4)
			return sh_error_set(err, E2BIG, raw->file, raw->line,
					    "seccomp_arch",
					    "at most 4 secondary architectures");
		profile->seccomp.arch[profile->seccomp.narch++] = token;
	}
	return 0;
}

/*
 * An OCI profile brings its own mode, rules, default action and errno.
 * Those keys set beside seccomp_oci in the same profile would be ignored,
 * so they are an error; inherited ones are simply replaced.
 */
static int check_oci_exclusive(const struct raw_profile *raw,
			       struct sh_error *err)
{
	static const enum profile_key replaced[] = {
		KEY_SECCOMP, KEY_SECCOMP_ALLOW, KEY_SECCOMP_DENY,
		KEY_SECCOMP_ERRNO, KEY_SECCOMP_ACTION, KEY_SECCOMP_ARCH,
	};
	const struct raw_value *oci = &raw->key[KEY_SECCOMP_OCI];
	size_t i;

	for (i = 0; i < sizeof(replaced) / sizeof(replaced[0]); i++) {
		const struct raw_value *value = &raw->key[replaced[i]];

		if (value->text && !value->inherited)
			return sh_error_set(err, EINVAL, value->file,
					    value->line,
					    profile_key_names[replaced[i]],
					    "not allowed beside seccomp_oci (line %u), which sets the whole filter",
					    oci->line);
	}
	return 0;
}

static int build_seccomp_rules(struct sh_profile *profile,
			       const struct raw_profile *raw,
			       struct sh_error *err)
{
	const struct raw_value *allow = &raw->key[KEY_SECCOMP_ALLOW];
	const struct raw_value *deny = &raw->key[KEY_SECCOMP_DENY];
	const struct raw_value *oci = &raw->key[KEY_SECCOMP_OCI];
	struct sh_seccomp_policy imported = { 0 };
	uint64_t caps;
	int r;

	if (oci->text) {
		r = check_oci_exclusive(raw, err);
		if (r < 0)
			return r;

		caps = profile->caps_keep_all ? ~UINT64_C(0) : profile->caps_keep;
		r = sh_oci_load(oci->text, caps, &imported, err);
		if (r < 0)
			return r;

		imported.complain = profile->seccomp.complain;
		/* the key or the profile's SECCOMP_FILTER_FLAG_LOG */
		imported.log_denied = imported.log_denied ||
				      profile->seccomp.log_denied;
		sh_seccomp_policy_clear(&profile->seccomp);
		profile->seccomp = imported;
		profile->src_seccomp = (struct sh_source){ oci->file, oci->line };
		profile->seccomp_oci_path = strdup(oci->text);
		if (!profile->seccomp_oci_path)
			return sh_error_set(err, ENOMEM, oci->file, oci->line,
					    "seccomp_oci", "out of memory");

		/* Later messages about a rule then name the JSON file. */
		for (size_t i = 0; i < profile->seccomp.nrules; i++)
			profile->seccomp.rules[i].file = profile->seccomp_oci_path;
		return 0;
	}

	if (profile->seccomp.mode == SH_SECCOMP_OFF) {
		const struct raw_value *stray = allow->text ? allow : deny;
		const struct raw_value *log = &raw->key[KEY_SECCOMP_LOG_DENIED];

		if (stray->text)
			return sh_error_set(err, EINVAL, stray->file,
					    stray->line,
					    allow->text ? "seccomp_allow" :
							  "seccomp_deny",
					    "rules given but \"seccomp\" is off; set seccomp = allowlist or denylist");
		if (profile->seccomp.log_denied)
			return sh_error_set(err, EINVAL, log->file, log->line,
					    "seccomp_log_denied",
					    "denials are to be logged but \"seccomp\" is off, so nothing is denied; set seccomp = allowlist or denylist, or remove the key");
		return 0;
	}

	if (allow->text) {
		r = sh_seccomp_add_list(&profile->seccomp, allow->text, true,
					allow->file, allow->line, err);
		if (r < 0)
			return r;
	}
	if (deny->text) {
		r = sh_seccomp_add_list(&profile->seccomp, deny->text, false,
					deny->file, deny->line, err);
		if (r < 0)
			return r;
	}
	if (profile->seccomp.mode == SH_SECCOMP_ALLOWLIST && !allow->text)
		return sh_error_set(err, EINVAL, profile->src_seccomp.file,
				    profile->src_seccomp.line, "seccomp",
				    "an allow-list needs seccomp_allow");
	return 0;
}

static int build_profile(struct sh_profile *profile,
			 const struct raw_profile *raw, struct sh_error *err)
{
	const struct raw_value *nnp = &raw->key[KEY_NO_NEW_PRIVS];
	const struct raw_value *isolate = &raw->key[KEY_ISOLATE_PTRACE];
	int r;

	strcpy(profile->name, raw->name);
	profile->file = raw->file;
	profile->line = raw->line;
	if (raw->key[KEY_INHERIT].text) {
		profile->inherit = raw->key[KEY_INHERIT].text;
		profile->src_inherit = (struct sh_source){
			raw->key[KEY_INHERIT].file, raw->key[KEY_INHERIT].line
		};
	}

	r = build_caps(profile, &raw->key[KEY_CAPS], err);
	if (r < 0)
		return r;

	r = build_bool(&profile->no_new_privs, nnp, "no_new_privs", false, err);
	if (r < 0)
		return r;
	if (nnp->text)
		profile->src_no_new_privs = (struct sh_source){ nnp->file,
								nnp->line };

	r = build_bool(&profile->isolate_ptrace, isolate, "isolate_ptrace",
		       false, err);
	if (r < 0)
		return r;
	if (isolate->text)
		profile->src_isolate_ptrace = (struct sh_source){
			isolate->file, isolate->line
		};

	r = build_label(&profile->selinux_exec_context, &profile->src_selinux,
			&raw->key[KEY_SELINUX], "selinux_exec_context", err);
	if (r < 0)
		return r;
	r = build_label(&profile->apparmor_exec_profile,
			&profile->src_apparmor, &raw->key[KEY_APPARMOR],
			"apparmor_exec_profile", err);
	if (r < 0)
		return r;

	r = build_seccomp_mode(profile, raw, err);
	if (r < 0)
		return r;
	r = build_seccomp_action(profile, raw, err);
	if (r < 0)
		return r;
	r = build_bool(&profile->seccomp.complain,
		       &raw->key[KEY_SECCOMP_COMPLAIN], "seccomp_complain",
		       false, err);
	if (r < 0)
		return r;
	r = build_bool(&profile->seccomp.log_denied,
		       &raw->key[KEY_SECCOMP_LOG_DENIED], "seccomp_log_denied",
		       false, err);
	if (r < 0)
		return r;
	r = build_seccomp_arch(profile, &raw->key[KEY_SECCOMP_ARCH], err);
	if (r < 0)
		return r;
	return build_seccomp_rules(profile, raw, err);
}

/* ------------------------------------------------------------------------ */
/* Mappings */

static int build_mappings(struct loader *loader, bool users,
			  struct sh_error *err)
{
	struct raw_mapping *raw = users ? loader->users : loader->groups;
	size_t count = users ? loader->nusers : loader->ngroups;
	struct sh_config *config = loader->config;
	struct sh_mapping *mappings;
	size_t i;

	mappings = calloc(count ? count : 1, sizeof(*mappings));
	if (!mappings)
		return sh_error_set(err, ENOMEM, NULL, 0, NULL, "out of memory");
	if (users) {
		config->users = mappings;
		config->nusers = count;
	} else {
		config->groups = mappings;
		config->ngroups = count;
	}

	for (i = 0; i < count; i++) {
		const struct sh_profile *profile;

		profile = sh_config_find_profile(config, raw[i].profile);
		if (!profile)
			return sh_error_set(err, EINVAL, raw[i].file,
					    raw[i].line, raw[i].profile,
					    "unknown profile \"%s\"",
					    raw[i].profile);

		/*
		 * A misspelt group would silently leave its members on the
		 * default profile, so it is an error, not a warning.
		 */
		if (!users) {
			gid_t gid;
			int r = sh_group_gid(raw[i].name, &gid);

			if (r == -ENOENT)
				return sh_error_set(err, EINVAL, raw[i].file,
						    raw[i].line, raw[i].profile,
						    "unknown group \"%s\": create the group or remove the name from [groups]",
						    raw[i].name);
			if (r < 0)
				return sh_error_set(err, -r, raw[i].file,
						    raw[i].line, raw[i].profile,
						    "lookup of group \"%s\" failed: %s",
						    raw[i].name, strerror(-r));
		}

		mappings[i].name = raw[i].name;
		raw[i].name = NULL;
		mappings[i].profile = profile;
		mappings[i].file = raw[i].file;
		mappings[i].line = raw[i].line;
	}
	return 0;
}

static int build_config(struct loader *loader, struct sh_error *err)
{
	struct sh_config *config = loader->config;
	const struct raw_value *fallback = &loader->global_default;
	size_t i;
	int r;

	for (i = 0; i < loader->nraw; i++) {
		r = resolve_inherit(loader, &loader->raw[i], 0, err);
		if (r < 0)
			return r;
	}

	config->profiles = calloc(loader->nraw + 1, sizeof(*config->profiles));
	if (!config->profiles)
		return sh_error_set(err, ENOMEM, NULL, 0, NULL, "out of memory");
	strcpy(config->profiles[0].name, SH_PROFILE_UNCONFINED);
	config->profiles[0].unconfined = true;
	config->profiles[0].caps_keep_all = true;
	config->nprofiles = 1;

	for (i = 0; i < loader->nraw; i++) {
		r = build_profile(&config->profiles[i + 1], &loader->raw[i],
				  err);
		config->nprofiles++;
		if (r < 0)
			return r;
	}

	if (!fallback->text)
		return sh_error_set(err, EINVAL, config->files[0], 0,
				    "global:default",
				    "missing key: [global] default must name a profile or \"unconfined\"");
	config->default_profile = sh_config_find_profile(config,
							  fallback->text);
	if (!config->default_profile)
		return sh_error_set(err, EINVAL, fallback->file, fallback->line,
				    "default", "unknown profile \"%s\"",
				    fallback->text);
	config->default_file = fallback->file;
	config->default_line = fallback->line;

	r = build_mappings(loader, true, err);
	if (r < 0)
		return r;
	return build_mappings(loader, false, err);
}

static void loader_free(struct loader *loader)
{
	size_t i;
	int k;

	for (i = 0; i < loader->nraw; i++) {
		for (k = 0; k < PROFILE_KEY_COUNT; k++)
			free(loader->raw[i].key[k].text);
	}
	free(loader->raw);
	for (i = 0; i < loader->nusers; i++)
		free(loader->users[i].name);
	free(loader->users);
	for (i = 0; i < loader->ngroups; i++)
		free(loader->groups[i].name);
	free(loader->groups);
	free(loader->global_default.text);
	free(loader->global_include_dir.text);
}

/* Inherited texts are freed with the loader, so profiles keep a copy. */
static int keep_inherit_names(struct sh_config *config)
{
	size_t i;

	for (i = 1; i < config->nprofiles; i++) {
		struct sh_profile *profile = &config->profiles[i];

		if (!profile->inherit)
			continue;
		profile->inherit = strdup(profile->inherit);
		if (!profile->inherit)
			return -ENOMEM;
	}
	return 0;
}

int sh_config_load(const char *path, struct sh_config **ret,
		   struct sh_error *err)
{
	struct loader loader = { 0 };
	int r;

	loader.config = calloc(1, sizeof(*loader.config));
	if (!loader.config)
		return sh_error_set(err, ENOMEM, path, 0, NULL, "out of memory");

	r = read_file(&loader, path ? path : SH_DEFAULT_CONFIG, true, err);
	if (r == 0 && loader.global_include_dir.text)
		r = read_include_dir(&loader, err);
	if (r == 0)
		r = build_config(&loader, err);
	if (r == 0 && keep_inherit_names(loader.config) < 0)
		r = sh_error_set(err, ENOMEM, path, 0, NULL, "out of memory");

	if (r == 0) {
		/* keep_inherit_names() ran, so nothing points into loader */
		loader_free(&loader);
		*ret = loader.config;
		return 0;
	}

	/* Profiles built so far may point at inherit texts: drop those first. */
	for (size_t i = 1; loader.config->profiles &&
			   i < loader.config->nprofiles; i++)
		loader.config->profiles[i].inherit = NULL;
	loader_free(&loader);
	sh_config_free(loader.config);
	return r;
}

static void profile_free(struct sh_profile *profile)
{
	free(profile->selinux_exec_context);
	free(profile->apparmor_exec_profile);
	free(profile->seccomp_oci_path);
	free(profile->inherit);
	sh_seccomp_policy_clear(&profile->seccomp);
}

void sh_config_free(struct sh_config *config)
{
	size_t i;

	if (!config)
		return;

	for (i = 0; i < config->nprofiles; i++)
		profile_free(&config->profiles[i]);
	free(config->profiles);
	for (i = 0; config->users && i < config->nusers; i++)
		free(config->users[i].name);
	free(config->users);
	for (i = 0; config->groups && i < config->ngroups; i++)
		free(config->groups[i].name);
	free(config->groups);
	for (i = 0; i < config->nfiles; i++)
		free(config->files[i]);
	free(config);
}

const struct sh_profile *sh_config_find_profile(const struct sh_config *config,
						const char *name)
{
	size_t i;

	for (i = 0; i < config->nprofiles; i++) {
		if (strcmp(config->profiles[i].name, name) == 0)
			return &config->profiles[i];
	}
	return NULL;
}
