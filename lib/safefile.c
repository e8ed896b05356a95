// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Opening files that decide who gets confined.
 *
 * A configuration file someone else can write, or swap through a symlink or
 * a writable folder, is a way to give oneself a weaker profile.  Every
 * component of the path is therefore opened in turn with O_NOFOLLOW and
 * checked through its descriptor, so that what is checked is what is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"

static bool owner_trusted(uid_t owner)
{
	return owner == 0 || owner == geteuid();
}

/*
 * A folder others can write to lets them rename or replace what it holds,
 * unless the sticky bit limits that to each entry's owner, as on /tmp.
 * A folder whose entries are all read (drop-ins) gets no such exception:
 * the sticky bit does not stop others from adding a file to it.
 */
static int check_folder(int fd, const char *path, const char *folder,
			bool listed, struct sh_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return sh_error_set(err, errno, path, 0, NULL,
				    "cannot inspect folder %s: %s", folder,
				    strerror(errno));

	if (!owner_trusted(st.st_uid))
		return sh_error_set(err, EPERM, path, 0, NULL,
				    "unsafe folder %s: owned by uid %u, not root",
				    folder, (unsigned int)st.st_uid);

	if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
	    (listed || !(st.st_mode & S_ISVTX)))
		return sh_error_set(err, EPERM, path, 0, NULL,
				    "unsafe folder %s: writable by group or others (mode %04o)",
				    folder, (unsigned int)(st.st_mode & 07777));
	return 0;
}

static int check_file(int fd, const char *path, struct sh_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return sh_error_set(err, errno, path, 0, NULL,
				    "cannot inspect file: %s", strerror(errno));

	if (!S_ISREG(st.st_mode))
		return sh_error_set(err, EPERM, path, 0, NULL,
				    "unsafe file: not a regular file");

	if (!owner_trusted(st.st_uid))
		return sh_error_set(err, EPERM, path, 0, NULL,
				    "unsafe file: owned by uid %u, not root",
				    (unsigned int)st.st_uid);

	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return sh_error_set(err, EPERM, path, 0, NULL,
				    "unsafe file: writable by group or others (mode %04o)",
				    (unsigned int)(st.st_mode & 07777));

	if (st.st_size > SH_FILE_SIZE_MAX)
		return sh_error_set(err, EFBIG, path, 0, NULL,
				    "file larger than %d bytes", SH_FILE_SIZE_MAX);
	return 0;
}

static int open_error(struct sh_error *err, int code, const char *path,
		      const char *component)
{
	if (code == ELOOP || code == ENOTDIR)
		return sh_error_set(err, ELOOP, path, 0, NULL,
				    "unsafe path: \"%s\" is a symlink or not a folder",
				    component);
	return sh_error_set(err, code, path, 0, NULL, "cannot open: %s",
			    strerror(code));
}

int sh_safe_open(const char *path, bool want_folder, struct sh_error *err)
{
	char copy[PATH_MAX], walked[PATH_MAX];
	char *component, *next, *save = NULL;
	int dirfd, fd, r;

	if (path[0] != '/')
		return sh_error_set(err, EINVAL, path, 0, NULL,
				    "path must be absolute");
	if (strlen(path) >= sizeof(copy))
		return sh_error_set(err, ENAMETOOLONG, path, 0, NULL,
				    "path too long");
	strcpy(copy, path);

	dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return open_error(err, errno, path, "/");
	r = check_folder(dirfd, "/", "/", false, err);
	if (r < 0)
		goto out_close_dir;

	component = strtok_r(copy, "/", &save);
	while (component) {
		bool last;

		next = strtok_r(NULL, "/", &save);
		last = next == NULL;

		if (strcmp(component, "..") == 0) {
			r = sh_error_set(err, EINVAL, path, 0, NULL,
					 "path must not contain \"..\"");
			goto out_close_dir;
		}

		if (last && !want_folder)
			fd = openat(dirfd, component,
				    O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
					    O_NOCTTY | O_NONBLOCK);
		else
			fd = openat(dirfd, component,
				    (last ? O_RDONLY : O_PATH) | O_DIRECTORY |
					    O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = open_error(err, errno, path, component);
			goto out_close_dir;
		}

		close(dirfd);
		dirfd = fd;

		/* the folder just opened: PATH up to this component */
		snprintf(walked, sizeof(walked), "%.*s",
			 (int)(component - copy + strlen(component)), path);
		if (last && !want_folder)
			r = check_file(dirfd, path, err);
		else
			r = check_folder(dirfd, path, walked, last, err);
		if (r < 0)
			goto out_close_dir;

		component = next;
	}
	return dirfd;

out_close_dir:
	close(dirfd);
	return r;
}

int sh_safe_read(const char *path, char **ret_text, size_t *ret_size,
		 struct sh_error *err)
{
	char *text;
	size_t size = 0;
	ssize_t n;
	int fd;

	fd = sh_safe_open(path, false, err);
	if (fd < 0)
		return fd;

	text = malloc(SH_FILE_SIZE_MAX + 1);
	if (!text) {
		close(fd);
		return sh_error_set(err, ENOMEM, path, 0, NULL, "out of memory");
	}

	/* The size bound was checked on fstat; a file still growing stops here. */
	while (size < SH_FILE_SIZE_MAX) {
		n = read(fd, text + size, SH_FILE_SIZE_MAX - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int code = errno;

			free(text);
			close(fd);
			return sh_error_set(err, code, path, 0, NULL,
					    "cannot read: %s", strerror(code));
		}
		if (n == 0)
			break;
		size += (size_t)n;
	}
	close(fd);

	text[size] = '\0';
	*ret_text = text;
	*ret_size = size;
	return 0;
}
