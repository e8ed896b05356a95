/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Named syscall groups ("@mount") and the argument-width table used by the
 * seccomp engine.  Internal to the library and the sechard tool.
 */
#ifndef SECHARD_GROUPS_H
#define SECHARD_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

struct sh_rule;

struct sh_syscall_group {
	const char *name;		/* with the leading '@' */
	const char *description;	/* one line, for "sechard" listings */
	/*
	 * Syscall names as libseccomp spells them, or "@group" for a nested
	 * group, NULL-terminated.  Names that do not exist on the native
	 * architecture are kept: they matter on opted-in secondary ones.
	 */
	const char *const *members;
};

/* Find a group by name, with or without the leading '@'; NULL if unknown. */
const struct sh_syscall_group *sh_syscall_group_find(const char *name);

/* Return every group, in documentation order, and their number in *count. */
const struct sh_syscall_group *sh_syscall_groups(size_t *count);

/*
 * Return true when argument ARG (0..5) of SYSCALL is 64 bits wide in the
 * kernel (a pointer, size_t, unsigned long length or address).  Every
 * argument not listed in the table is treated as 32 bits wide, because the
 * kernel ignores the high half of an int and a rule that compared 64 bits
 * could be bypassed through it.  OCI import uses this to set
 * sh_cond.low32 the same way sh_rule_parse() does.
 */
bool sh_syscall_arg_is_64bit(const char *syscall, unsigned int arg);

/*
 * Check the conditions of RULE for comparisons that a caller could slip
 * past by setting the high 32 bits of a 32-bit argument.  Returns 0, or
 * -EINVAL with the reason written into REASON.
 */
int sh_rule_check_width(const struct sh_rule *rule, char *reason,
			size_t size);

#endif /* SECHARD_GROUPS_H */
