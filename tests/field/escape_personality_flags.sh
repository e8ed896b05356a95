#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: personality flags that weaken memory protection, set with
# bit 31 of the argument.
#
# The shipped baseline (and builder, which inherits its filter) refuses
# personality(2) calls that set ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC,
# MMAP_PAGE_ZERO, ADDR_COMPAT_LAYOUT or ADDR_LIMIT_3GB.  Each rule masks
# the flag together with bit 31, so that the query value 0xffffffff stays
# allowed.  The kernel only treats 0xffffffff itself as a query; any other
# value is stored as the new personality, bit 31 included.  So 0x80040000
# passes the rule and turns address space randomization off for the
# session and everything it executes.
#
# The session runs perl (always present on Debian) through util-linux
# runuser with pam_sechard (pam_wrapper); perl calls personality with
# bit 31 and each flag, then reads /proc/self/personality.  PASS when no
# flag could be set.  Needs root; exits 77 otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

for need in runuser perl; do
	command -v "$need" >/dev/null || sh_die_skip "$need not installed"
done
[ "$(uname -m)" = x86_64 ] ||
	sh_die_skip "the syscall number in the perl line is x86_64's"

sh_user_add USER_BASELINE || sh_die_skip "useradd failed"
sh_user_add USER_BUILDER || sh_die_skip "useradd failed"
sh_user_add USER_TENANT || sh_die_skip "useradd failed"

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = baseline

[users]
unconfined = root
builder = $USER_BUILDER
tenant = $USER_TENANT

$(sh_shipped_profiles)
CONF

sh_pam_service "$SH_TMP/pam" runuser "$CONFIG"

# Prints "NAME set|refused PERSONALITY" per flag (syscall 135 on x86_64).
# Each flag gets a fresh perl process, so one success cannot mask another.
ATTEMPT=$SH_TMP/attempt.sh
cat >"$ATTEMPT" <<'SCRIPT'
#!/bin/sh
for flag in ADDR_NO_RANDOMIZE:0x0040000 READ_IMPLIES_EXEC:0x0400000 \
	MMAP_PAGE_ZERO:0x0100000 ADDR_COMPAT_LAYOUT:0x0200000 \
	ADDR_LIMIT_3GB:0x8000000; do
	perl -e '
		my ($name, $bit) = split /:/, $ARGV[0];
		$bit = hex $bit;
		my $r = syscall(135, 0x80000000 | $bit);
		open(my $f, "<", "/proc/self/personality") or die;
		my $now = hex <$f>;
		printf "%s %s %08x\n", $name,
			($r != -1 && ($now & $bit)) ? "set" : "refused", $now;
	' "$flag"
done
SCRIPT
chmod 0755 "$ATTEMPT"

check_profile() {
	local profile=$1
	local user=$2
	local output set

	output=$(sh_pam_run "$SH_TMP/pam" runuser -u "$user" -- "$ATTEMPT" \
		2>&1 </dev/null)
	if [ "$(grep -c ' set \| refused ' <<<"$output")" -ne 5 ]; then
		sh_fail "personality flags with bit 31 ($profile)" \
			"the session did not run the attempts:" "$output"
		return
	fi
	set=$(grep ' set ' <<<"$output")
	if [ -z "$set" ]; then
		sh_pass "personality flags with bit 31 ($profile)"
	else
		sh_fail "personality flags with bit 31 ($profile)" \
			"the confined session set:" "$set"
	fi
}

check_profile baseline "$USER_BASELINE"
check_profile builder "$USER_BUILDER"
check_profile tenant "$USER_TENANT"

sh_finish
