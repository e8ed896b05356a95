// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Resolution of a user to a profile.
 *
 * Matching uses the account NSS returns, not the string the login program
 * was given: with a case-insensitive directory, "Alice" may log in to the
 * account "alice", and must get alice's profile, not the default.  Groups
 * are compared by gid for the same reason.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nss.h"
#include "sechard.h"

/* NSS buffers grow up to this size before we give up. */
#define NSS_BUFFER_MAX (1024 * 1024)
/* Most groups a user may be in; the kernel's NGROUPS_MAX is 65536. */
#define USER_GROUPS_MAX 65536

static int lookup_user(const char *user, struct passwd *entry,
		       char **ret_buffer, struct sh_error *err)
{
	struct passwd *result = NULL;
	size_t size = 4096;
	char *buffer = NULL;
	int r;

	for (;;) {
		char *grown = realloc(buffer, size);

		if (!grown) {
			free(buffer);
			return sh_error_set(err, ENOMEM, NULL, 0, user,
					    "out of memory");
		}
		buffer = grown;

		r = getpwnam_r(user, entry, buffer, size, &result);
		if (r != ERANGE || size >= NSS_BUFFER_MAX)
			break;
		size *= 2;
	}

	if (r != 0) {
		free(buffer);
		return sh_error_set(err, r, NULL, 0, user,
				    "user lookup failed: %s", strerror(r));
	}
	if (!result) {
		free(buffer);
		return sh_error_set(err, ENOENT, NULL, 0, user,
				    "unknown user: no account of that name in the passwd database (getent passwd)");
	}
	*ret_buffer = buffer;
	return 0;
}

static int lookup_groups(const struct passwd *entry, gid_t **ret_gids,
			 int *ret_count, struct sh_error *err)
{
	int count = 64;
	gid_t *gids = NULL;

	for (;;) {
		gid_t *grown = realloc(gids, (size_t)count * sizeof(*gids));
		int previous = count;

		if (!grown) {
			free(gids);
			return sh_error_set(err, ENOMEM, NULL, 0,
					    entry->pw_name, "out of memory");
		}
		gids = grown;

		if (getgrouplist(entry->pw_name, entry->pw_gid, gids, &count) >= 0)
			break;
		/* count now holds the size needed; never shrink, never loop forever */
		if (count <= previous)
			count = previous * 2;
		if (count > USER_GROUPS_MAX) {
			free(gids);
			return sh_error_set(err, E2BIG, NULL, 0,
					    entry->pw_name,
					    "user is in more than %d groups",
					    USER_GROUPS_MAX);
		}
	}
	*ret_gids = gids;
	*ret_count = count;
	return 0;
}

/*
 * A group entry lists its members, so a large directory group needs a
 * large buffer: grow it on ERANGE rather than mistake the group for a
 * missing one.
 */
int sh_group_gid(const char *name, gid_t *ret)
{
	struct group entry, *result = NULL;
	size_t size = 16384;
	char *buffer = NULL;
	int r;

	for (;;) {
		char *grown = realloc(buffer, size);

		if (!grown) {
			free(buffer);
			return -ENOMEM;
		}
		buffer = grown;

		r = getgrnam_r(name, &entry, buffer, size, &result);
		if (r != ERANGE || size >= NSS_BUFFER_MAX)
			break;
		size *= 2;
	}

	if (r == 0 && result)
		*ret = result->gr_gid;
	free(buffer);
	if (r != 0)
		return -r;
	return result ? 0 : -ENOENT;
}

static bool has_gid(const gid_t *gids, int count, gid_t gid)
{
	int i;

	for (i = 0; i < count; i++) {
		if (gids[i] == gid)
			return true;
	}
	return false;
}

static int match_groups(const struct sh_config *config, const gid_t *gids,
			int count, struct sh_resolution *ret,
			struct sh_error *err)
{
	size_t i;
	gid_t gid;
	int r;

	for (i = 0; i < config->ngroups; i++) {
		const struct sh_mapping *mapping = &config->groups[i];

		/*
		 * A group that cannot be looked up now may be the one that
		 * should have matched: refuse rather than fall through to a
		 * weaker profile.
		 */
		r = sh_group_gid(mapping->name, &gid);
		if (r < 0)
			return sh_error_set(err, -r, mapping->file,
					    mapping->line, mapping->name,
					    "group lookup failed: %s",
					    r == -ENOENT ? "no such group" :
							   strerror(-r));
		if (!has_gid(gids, count, gid))
			continue;

		if (!ret->mapping) {
			ret->kind = SH_MATCH_GROUP;
			ret->mapping = mapping;
			ret->profile = mapping->profile;
			continue;
		}
		if (mapping->profile != ret->profile &&
		    ret->nlosing < sizeof(ret->losing) / sizeof(ret->losing[0]))
			ret->losing[ret->nlosing++] = mapping;
	}
	return 0;
}

int sh_resolve_user(const struct sh_config *config, const char *user,
		    struct sh_resolution *ret, struct sh_error *err)
{
	struct sh_resolution result = { 0 };
	struct passwd entry;
	char *buffer = NULL;
	gid_t *gids = NULL;
	int count = 0, r;
	size_t i;

	r = lookup_user(user, &entry, &buffer, err);
	if (r < 0)
		return r;

	for (i = 0; i < config->nusers; i++) {
		if (strcmp(config->users[i].name, entry.pw_name) == 0) {
			result.kind = SH_MATCH_USER;
			result.mapping = &config->users[i];
			result.profile = config->users[i].profile;
			goto out;
		}
	}

	r = lookup_groups(&entry, &gids, &count, err);
	if (r < 0)
		goto out;
	r = match_groups(config, gids, count, &result, err);
	if (r < 0)
		goto out;

	if (!result.mapping) {
		result.kind = SH_MATCH_DEFAULT;
		result.profile = config->default_profile;
	}

out:
	free(gids);
	free(buffer);
	if (r == 0)
		*ret = result;
	return r;
}
