/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Symbolic constants that seccomp rule conditions may name. */
#ifndef SECHARD_CONSTS_H
#define SECHARD_CONSTS_H

#include <stdint.h>

/*
 * Look up NAME ("TIOCSTI", "AF_NETLINK") and store its value, sign-extended
 * to 64 bits, in *ret.  Returns 0, or -ENOENT for a name not in the table.
 */
int sh_const_lookup(const char *name, uint64_t *ret);

#endif /* SECHARD_CONSTS_H */
