// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Strict scalar parsing.  Every helper rejects empty input, leading or
 * trailing junk and out-of-range values, and leaves *ret untouched on
 * failure.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sechard.h"

int sh_parse_bool(const char *text, bool *ret)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(text, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcmp(text, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Decimal, 0x hexadecimal or 0 octal, as strtoull reads them, but strict. */
int sh_parse_u64(const char *text, uint64_t *ret)
{
	unsigned long long value;
	char *end;

	/* strtoull accepts leading blanks and a minus sign; we do not. */
	if (!text[0] || text[0] < '0' || text[0] > '9')
		return -EINVAL;

	errno = 0;
	value = strtoull(text, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end)
		return -EINVAL;

	*ret = value;
	return 0;
}

int sh_parse_i64(const char *text, int64_t *ret)
{
	uint64_t magnitude;
	bool negative = text[0] == '-';
	int r;

	r = sh_parse_u64(text + negative, &magnitude);
	if (r < 0)
		return r;

	if (negative) {
		if (magnitude > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*ret = magnitude == (uint64_t)INT64_MAX + 1 ?
			       INT64_MIN : -(int64_t)magnitude;
	} else {
		if (magnitude > INT64_MAX)
			return -ERANGE;
		*ret = (int64_t)magnitude;
	}
	return 0;
}
