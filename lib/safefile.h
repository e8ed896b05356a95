/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal: opening configuration and profile files without being fooled. */
#ifndef SECHARD_SAFEFILE_H
#define SECHARD_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "sechard.h"

/* Largest configuration, drop-in or OCI profile we read. */
#define SH_FILE_SIZE_MAX (4 * 1024 * 1024)

/*
 * Open the absolute PATH component by component without following
 * symlinks.  Every folder on the way must be owned by root (or the effective
 * user) and not writable by group or others unless it has the sticky bit;
 * the file itself must be a regular file with the same owner rule and no
 * group or other write bit.  With WANT_FOLDER, the last component must be
 * such a folder, not writable by group or others even with the sticky bit,
 * and is opened for reading its entries.
 * Returns the descriptor (O_CLOEXEC) or a negative errno with err filled.
 */
int sh_safe_open(const char *path, bool want_folder, struct sh_error *err);

/*
 * Read a whole file opened by sh_safe_open() into a NUL-terminated buffer
 * the caller frees.  Files larger than SH_FILE_SIZE_MAX are refused.
 */
int sh_safe_read(const char *path, char **ret_text, size_t *ret_size,
		 struct sh_error *err);

#endif /* SECHARD_SAFEFILE_H */
