/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal: SELinux and AppArmor exec contexts. */
#ifndef SECHARD_LSM_H
#define SECHARD_LSM_H

#include "sechard.h"

/* Fail unless the LSM is enabled and the label is valid in its policy. */
int sh_lsm_check_selinux(const char *context, const struct sh_source *source,
			 struct sh_error *err);
int sh_lsm_check_apparmor(const char *profile, const struct sh_source *source,
			  struct sh_error *err);

/* Set the labels the next execve of this thread takes; NULL skips one. */
int sh_lsm_arm(const char *selinux_context, const char *apparmor_profile,
	       struct sh_error *err);

#endif /* SECHARD_LSM_H */
