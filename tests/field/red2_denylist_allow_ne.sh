#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: in a deny-list, an allow rule "argN != VALUE" on a 32-bit
# argument restricts nothing.
#
# sechard.conf(5): in a deny-list, allow entries with conditions restrict
# the syscall to the values they name.  A lone "!=" on a 32-bit argument
# is recorded apart from other conditional allows (lib/filter.c,
# rule_is_allow_ne).  The allow-list builder turns it into a deny of
# "low 32 bits == VALUE" in the second filter.  The deny-list builder has
# no such step and the fallback filter leaves it out, so the rule is
# dropped.  "sechard check" reports nothing.
#
# The profile is baseline with seccomp_allow replaced by
# personality(arg0 != ADDR_NO_RANDOMIZE); an allow-list twin shows the
# intended result.  The session runs perl, which calls
# personality(ADDR_NO_RANDOMIZE) and reads /proc/self/personality.  PASS
# when both refuse the flag.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

for need in runuser perl; do
	command -v "$need" >/dev/null || sh_die_skip "$need not installed"
done
[ "$(uname -m)" = x86_64 ] ||
	sh_die_skip "the syscall number in the perl line is x86_64's"

sh_user_add USER_DENY || sh_die_skip "useradd failed"
sh_user_add USER_ALLOW || sh_die_skip "useradd failed"

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline

[users]
unconfined = root
denyne = $USER_DENY
allowne = $USER_ALLOW

$(sh_shipped_profiles)

[profile denyne]
inherit = baseline
seccomp_allow = personality(arg0 != ADDR_NO_RANDOMIZE)

[profile allowne]
inherit = tenant
seccomp_allow = @default, @basic-io, @file-system, @process, @signal, @time, @memory, @ipc, @network, personality(arg0 != ADDR_NO_RANDOMIZE)
CONF

sh_pam_service "$SH_TMP/pam" runuser "$CONFIG"

ATTEMPT=$SH_TMP/attempt.sh
cat >"$ATTEMPT" <<'SCRIPT'
#!/bin/sh
perl -e '
	my $r = syscall(135, 0x0040000);
	open(my $f, "<", "/proc/self/personality") or die;
	my $now = hex <$f>;
	printf "%s ret %d personality %08x\n",
		($r != -1 && ($now & 0x0040000)) ? "set" : "refused", $r, $now;
'
SCRIPT
chmod 0755 "$ATTEMPT"

check_profile() {
	local profile=$1
	local user=$2
	local output

	output=$(sh_pam_run "$SH_TMP/pam" runuser -u "$user" -- "$ATTEMPT" \
		2>&1 </dev/null)
	case $output in
	"refused "*)
		sh_pass "personality(arg0 != ADDR_NO_RANDOMIZE) ($profile)" ;;
	"set "*)
		sh_fail "personality(arg0 != ADDR_NO_RANDOMIZE) ($profile)" \
			"the confined session set the flag:" "$output" ;;
	*)
		sh_fail "personality(arg0 != ADDR_NO_RANDOMIZE) ($profile)" \
			"the session did not run the attempt:" "$output" ;;
	esac
}

check_profile deny-list "$USER_DENY"
check_profile allow-list "$USER_ALLOW"

sh_finish
