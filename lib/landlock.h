/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal: the Landlock domain of isolate_ptrace. */
#ifndef SECHARD_LANDLOCK_H
#define SECHARD_LANDLOCK_H

#include "sechard.h"

/* Fail unless the kernel has Landlock with the ABI isolate_ptrace needs. */
int sh_landlock_check(const struct sh_source *source, struct sh_error *err);

/*
 * Put the calling thread in a Landlock domain that restricts ptrace and
 * /proc/PID/mem to the processes it starts.  Needs no_new_privs or
 * CAP_SYS_ADMIN.
 */
int sh_landlock_isolate_ptrace(struct sh_error *err);

#endif /* SECHARD_LANDLOCK_H */
