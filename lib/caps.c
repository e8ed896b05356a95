// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Capability sets.
 *
 * The bounding set caps what any later execve can grant, setuid-root and
 * file-capability binaries included.  It does not reach the inheritable set:
 * a capability left there still passes to a program whose file carries it
 * as inheritable, so the inheritable bits of every dropped capability are
 * cleared too, and the ambient set is emptied.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <sys/capability.h>

#include "sechard.h"
#include "caps.h"

int sh_caps_last_cap(void)
{
	char text[32];
	uint64_t value;
	ssize_t n;
	int fd;

	fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n > 0) {
			text[n] = '\0';
			if (text[n - 1] == '\n')
				text[n - 1] = '\0';
			if (sh_parse_u64(text, &value) == 0 && value < 64)
				return (int)value;
		}
	}

	/* Without /proc, ask the kernel one capability at a time. */
	for (value = 0; value < 64; value++) {
		if (prctl(PR_CAPBSET_READ, (unsigned long)value, 0, 0, 0) < 0)
			break;
	}
	return value ? (int)value - 1 : -ENOSYS;
}

int sh_caps_from_name(const char *name)
{
	char lower[64];
	cap_value_t value;
	size_t i;
	int last = sh_caps_last_cap();

	if (strlen(name) >= sizeof(lower) || strncasecmp(name, "cap_", 4) != 0)
		return -EINVAL;
	for (i = 0; name[i]; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[i] = '\0';

	/* libcap also accepts bare numbers; a profile must use names. */
	if (cap_from_name(lower, &value) < 0)
		return -EINVAL;
	if (last < 0 || value < 0 || value > last)
		return -EINVAL;
	return value;
}

int sh_caps_name(int cap, char *buf, size_t size)
{
	char *name = cap_to_name(cap);

	if (!name)
		return -ENOMEM;
	snprintf(buf, size, "%s", name);
	cap_free(name);
	return 0;
}

static bool kept(bool keep_all, uint64_t keep, int cap)
{
	return keep_all || (keep & (UINT64_C(1) << cap));
}

static int drop_bounding(bool keep_all, uint64_t keep, int last,
			 struct sh_error *err)
{
	int cap;

	for (cap = 0; cap <= last; cap++) {
		if (kept(keep_all, keep, cap))
			continue;
		if (prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0) == 0)
			continue;

		if (prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0, 0, 0) < 0 &&
		    prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0) != 0)
			return sh_error_set(err, errno, NULL, 0, "caps",
					    "cannot drop capability %d from the bounding set: %s",
					    cap, strerror(errno));
	}
	return 0;
}

static int clear_inheritable(bool keep_all, uint64_t keep, int last,
			     struct sh_error *err)
{
	cap_flag_value_t value;
	bool changed = false;
	cap_t state;
	int cap, r = 0;

	state = cap_get_proc();
	if (!state)
		return sh_error_set(err, errno, NULL, 0, "caps",
				    "cannot read capabilities: %s",
				    strerror(errno));

	for (cap = 0; cap <= last; cap++) {
		cap_value_t one = cap;

		if (kept(keep_all, keep, cap))
			continue;
		if (cap_get_flag(state, cap, CAP_INHERITABLE, &value) < 0 ||
		    value == CAP_CLEAR)
			continue;
		cap_set_flag(state, CAP_INHERITABLE, 1, &one, CAP_CLEAR);
		changed = true;
	}

	if (changed && cap_set_proc(state) < 0)
		r = sh_error_set(err, errno, NULL, 0, "caps",
				 "cannot clear inheritable capabilities: %s",
				 strerror(errno));
	cap_free(state);
	return r;
}

int sh_caps_arm(bool keep_all, uint64_t keep, struct sh_error *err)
{
	int last = sh_caps_last_cap();
	int r;

	if (last < 0)
		return sh_error_set(err, -last, NULL, 0, "caps",
				    "cannot tell which capabilities the kernel knows");

	r = drop_bounding(keep_all, keep, last, err);
	if (r < 0)
		return r;

	r = clear_inheritable(keep_all, keep, last, err);
	if (r < 0)
		return r;

	/* Ambient capabilities would survive execve of any plain program. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return sh_error_set(err, errno, NULL, 0, "caps",
				    "cannot clear the ambient set: %s",
				    strerror(errno));
	return 0;
}
