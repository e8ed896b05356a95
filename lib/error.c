// SPDX-License-Identifier: LGPL-2.1-or-later
/* Error records: the one way the library reports what went wrong. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sechard.h"

static void copy_field(char *dst, size_t size, const char *src)
{
	if (!src) {
		dst[0] = '\0';
		return;
	}
	snprintf(dst, size, "%s", src);
}

int sh_error_set(struct sh_error *err, int code, const char *file,
		 unsigned int line, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -code;

	copy_field(err->file, sizeof(err->file), file);
	err->line = line;
	copy_field(err->key, sizeof(err->key), key);

	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);

	return -code;
}

int sh_error_format(const struct sh_error *err, char *buf, size_t size)
{
	char where[sizeof(err->file) + 16] = "";
	char key[sizeof(err->key) + 2] = "";

	if (err->file[0] && err->line)
		snprintf(where, sizeof(where), "%s:%u: ", err->file, err->line);
	else if (err->file[0])
		snprintf(where, sizeof(where), "%s: ", err->file);

	if (err->key[0])
		snprintf(key, sizeof(key), "%s: ", err->key);

	return snprintf(buf, size, "%s%s%s", where, key, err->message);
}
