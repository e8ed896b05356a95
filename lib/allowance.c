// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Syscalls every compiled filter allows, whatever the profile says.
 *
 * The filter is loaded before the login program has finished turning the
 * process into the session.  A denial there would not confine the user, it
 * would abort the login half-way, so these calls stay allowed.  Each entry
 * names the program that needs it.
 */
#include <stddef.h>

#include "sechard.h"

/*
 * Loaded in the child: from pam_setcred() in sshd's per-user process,
 * before it drops to the user, or from the pam_end() cleanup that su,
 * runuser and login run right before execve.
 */
static const char *const child_allowance[] = {
	/* the login program then executes the shell */
	"execve",
	/* error paths of every login program */
	"exit", "exit_group",
	/*
	 * Measured: sshd's per-user child drops to the user after
	 * pam_setcred() with setresgid and setresuid (uidswap.c
	 * permanently_set_uid); sshd fails the login without either.  Without
	 * CAP_SETUID and CAP_SETGID they only switch among ids the process
	 * already has.  su, runuser and login switch before their pam_end().
	 */
	"setresgid", "setresuid",
	NULL,
};

/*
 * Loaded in the process that opened the session (sudo, cron, systemd's
 * user@ service): it forks the session, waits for it, and closes the
 * session as root afterwards.  The members marked "measured" were found by
 * taking each out in turn and running sudo 1.9.13 (with and without a
 * terminal, with and without -i) under an allow-list narrower than any
 * shell profile; tests/real/sudo.sh keeps that profile as a regression
 * case.  The others come from reading the callers' source.
 */
static const char *const open_allowance[] = {
	/* measured: sudo executes the command in its child; every caller
	 * exits in the end */
	"execve", "exit", "exit_group",
	/* measured: sudo's command child switches to the target user */
	"setresuid",
	/* systemd's user@ drops to the user with setgroups, setresgid and
	 * setresuid after PAM; cron's child with setgid and setuid */
	"setgroups", "setresgid", "setgid", "setuid",
	/* measured: sudo forks the command and reaps it (wait4: sudo hangs) */
	"clone", "wait4",
	/* sudo forwards signals to the command */
	"kill",
	/* measured: with a terminal, sudo's monitor starts a new session and
	 * talks to the front end over a socketpair */
	"setsid", "sendto", "recvfrom",
	/* syslog(3) at close (pam_unix, sudo's own log) and the audit socket;
	 * D-Bus for pam_systemd's ReleaseSession at close */
	"socket", "connect", "sendmsg", "recvmsg",
	/* sudo relays the terminal and restores its owner at the end */
	"ioctl", "fchown",
	NULL,
};

const char *const *sh_enforce_allowance(enum sh_enforce_point point)
{
	return point == SH_ENFORCE_OPEN ? open_allowance : child_allowance;
}
