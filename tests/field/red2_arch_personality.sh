#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: a deny-list with a secondary architecture lets personality(2)
# through unrestricted on that architecture.
#
# baseline restricts personality to exact values with conditional allows,
# which only the fallback filter (lib/bpf.c) enforces.  That filter returns
# ALLOW for every call through an architecture the profile lists in
# seccomp_arch, and in a deny-list the first filter has no rule for
# personality at all (its default is ALLOW).  So with
# "seccomp_arch = x86" a session calls personality through int 0x80 and
# turns address space randomization off for itself and what it executes.
# An allow-list (tenant) is not affected: there the first filter returns
# ENOSYS.
#
# The session runs a small program (built here with gcc) that calls the
# i386 personality (136) through int 0x80 with ADDR_NO_RANDOMIZE, then
# reads /proc/self/personality.  PASS when the flag could not be set.
# Needs root, gcc and a kernel with 32-bit emulation; exits 77 otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

for need in runuser gcc; do
	command -v "$need" >/dev/null || sh_die_skip "$need not installed"
done
[ "$(uname -m)" = x86_64 ] || sh_die_skip "int 0x80 test is for x86_64"

ATTEMPT=$SH_TMP/i386_personality
gcc -x c -o "$ATTEMPT" - <<'C' || sh_die_skip "gcc cannot build the probe"
#include <stdio.h>

int main(void)
{
	unsigned int now = 0;
	long ret;
	FILE *f;

	/* i386 personality(ADDR_NO_RANDOMIZE) */
	__asm__ volatile ("int $0x80" : "=a"(ret)
			  : "a"(136L), "b"(0x0040000L) : "memory");
	f = fopen("/proc/self/personality", "r");
	if (!f || fscanf(f, "%x", &now) != 1)
		return 2;
	printf("%s ret %ld personality %08x\n",
	       (now & 0x0040000) ? "set" : "refused", ret, now);
	return 0;
}
C
chmod 0755 "$ATTEMPT"

# Without a filter the call must work, or the host lacks 32-bit emulation.
case $("$ATTEMPT") in
"set "*) ;;
*) sh_die_skip "int 0x80 personality does not work here (no IA32 emulation?)" ;;
esac

sh_user_add USER_B32 || sh_die_skip "useradd failed"
sh_user_add USER_T32 || sh_die_skip "useradd failed"

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline

[users]
unconfined = root
b32 = $USER_B32
t32 = $USER_T32

$(sh_shipped_profiles)

[profile b32]
inherit = baseline
seccomp_arch = x86

[profile t32]
inherit = tenant
seccomp_arch = x86
CONF

sh_pam_service "$SH_TMP/pam" runuser "$CONFIG"

check_profile() {
	local profile=$1
	local user=$2
	local output

	output=$(sh_pam_run "$SH_TMP/pam" runuser -u "$user" -- "$ATTEMPT" \
		2>&1 </dev/null)
	case $output in
	"refused "*)
		sh_pass "i386 personality(ADDR_NO_RANDOMIZE) ($profile)" ;;
	"set "*)
		sh_fail "i386 personality(ADDR_NO_RANDOMIZE) ($profile)" \
			"the confined session set it:" "$output" ;;
	*)
		sh_fail "i386 personality(ADDR_NO_RANDOMIZE) ($profile)" \
			"the session did not run the attempt:" "$output" ;;
	esac
}

check_profile "baseline + seccomp_arch = x86" "$USER_B32"
check_profile "tenant + seccomp_arch = x86" "$USER_T32"

sh_finish
