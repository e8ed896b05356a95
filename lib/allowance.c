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
	 * sshd drops to the user after pam_setcred(): setgroups, setresgid,
	 * setresuid (uidswap.c permanently_set_uid).  Without CAP_SETUID and
	 * CAP_SETGID these only switch among ids the process already has.
	 */
	"setgroups", "setresgid", "setresuid", "setgid", "setuid",
	NULL,
};

/*
 * Loaded in the process that opened the session (sudo, cron, systemd's
 * user@ service): it forks the session, waits for it, and closes the
 * session as root afterwards, logging through syslog and the audit socket.
 */
static const char *const open_allowance[] = {
	"execve", "exit", "exit_group",
	"setgroups", "setresgid", "setresuid", "setgid", "setuid",
	/* fork the command and reap it (sudo exec_nopty.c, exec_pty.c) */
	"clone", "wait4", "kill",
	/* syslog and the audit netlink socket at close */
	"socket", "connect", "sendto", "sendmsg",
	/* sudo relays the terminal and restores its owner at the end */
	"ioctl", "fchown",
	NULL,
};

const char *const *sh_enforce_allowance(enum sh_enforce_point point)
{
	return point == SH_ENFORCE_OPEN ? open_allowance : child_allowance;
}
