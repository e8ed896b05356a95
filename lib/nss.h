/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal: account lookups through NSS. */
#ifndef SECHARD_NSS_H
#define SECHARD_NSS_H

#include <sys/types.h>

/*
 * Look up a group by its exact name.  Returns 0 with the gid, -ENOENT when
 * no such group exists, or another negative errno when the lookup failed.
 */
int sh_group_gid(const char *name, gid_t *ret);

#endif /* SECHARD_NSS_H */
