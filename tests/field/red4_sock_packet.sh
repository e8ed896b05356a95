#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: socket(AF_INET, SOCK_PACKET), the old spelling of an
# AF_PACKET socket, must not get past tenant's AF_PACKET rule.
#
# The kernel turns (AF_INET, SOCK_PACKET) into a packet socket.  With no
# capabilities the kernel refuses either form itself, so the profiles
# below keep CAP_NET_RAW: one inherits tenant's filter, and one has the
# same filter without the SOCK_PACKET rule, which shows that the probe can
# open such a socket at all.  Needs root and python3; exits 77 otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

SECHARD=$SH_BUILD/sechard
[ -x "$SECHARD" ] || sh_die_skip "$SECHARD not built; run make"
command -v python3 >/dev/null || sh_die_skip "python3 not installed"

tenant_deny=$(sed -n 's/^seccomp_deny = prlimit64/prlimit64/p' \
	"$SH_SHIPPED_CONFIG")
rule=', socket(arg0 == AF_INET, arg1 & 0xf == SOCK_PACKET)'
without_rule=${tenant_deny/"$rule"/}
if [ -z "$tenant_deny" ] || [ "$without_rule" = "$tenant_deny" ]; then
	sh_die_skip "tenant's seccomp_deny line not found in $SH_SHIPPED_CONFIG"
fi

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = unconfined

$(sh_shipped_profiles)

[profile raw]
inherit = tenant
caps = cap_net_raw

[profile raw-without-rule]
inherit = tenant
caps = cap_net_raw
seccomp_deny = $without_rule
CONF

# The numbers of linux/socket.h and linux/net.h: python has no SOCK_PACKET.
AF_INET=2
AF_PACKET=17
SOCK_DGRAM=2
SOCK_RAW=3
SOCK_PACKET=10

# socket_result PROFILE FAMILY TYPE: "ok" or the errno name.
socket_result() {
	"$SECHARD" --config "$CONFIG" run -p "$1" -- /usr/bin/python3 -c "
import errno, socket
try:
    socket.socket($2, $3).close()
    print('ok')
except OSError as e:
    print(errno.errorcode[e.errno])" 2>&1
}

# expect NAME EXPECTED PROFILE FAMILY TYPE
expect() {
	local got

	got=$(socket_result "$3" "$4" "$5")
	if [ "$got" = "$2" ]; then
		sh_pass "$1"
	else
		sh_fail "$1" "expected $2, got: $got"
	fi
}

expect "without the rule the probe opens a SOCK_PACKET socket" ok \
	raw-without-rule "$AF_INET" "$SOCK_PACKET"
expect "tenant refuses socket(AF_INET, SOCK_PACKET)" EPERM \
	raw "$AF_INET" "$SOCK_PACKET"
expect "tenant refuses socket(AF_PACKET, SOCK_RAW)" EPERM \
	raw "$AF_PACKET" "$SOCK_RAW"
expect "tenant allows socket(AF_INET, SOCK_DGRAM)" ok \
	raw "$AF_INET" "$SOCK_DGRAM"

sh_finish
