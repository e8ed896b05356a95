/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal: applying capability sets. */
#ifndef SECHARD_CAPS_H
#define SECHARD_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "sechard.h"

/*
 * Drop every capability not in KEEP (bit N = capability N) from the
 * bounding and inheritable sets, and clear the ambient set.  Needs
 * CAP_SETPCAP for the bounding set.  The running process keeps its
 * permitted and effective sets.
 */
int sh_caps_arm(bool keep_all, uint64_t keep, struct sh_error *err);

/* Write the libcap name of CAP ("cap_chown") into buf. */
int sh_caps_name(int cap, char *buf, size_t size);

#endif /* SECHARD_CAPS_H */
