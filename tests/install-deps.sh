#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# make deps: install the Debian packages that the build and every test tier
# need.  Installs only what dpkg reports missing, runs apt-get update at
# most once, never prompts, and does nothing when all are present.

set -eu

PACKAGES=(
	# build
	make gcc pkg-config
	libpam0g-dev libseccomp-dev libcap-dev libselinux1-dev
	libapparmor-dev libiniparser-dev libjson-c-dev
	# unit and module tests
	libcmocka-dev libpam-wrapper libpamtest0-dev pamtester
	# real-program tests: runuser, su, script, logger, unshare; login;
	# useradd/userdel; ssh on loopback; sudo; runc for OCI profiles
	util-linux bsdutils login passwd openssh-client openssh-server sudo
	runc
	# manual pages
	mandoc
	# packages: the Debian package, its lintian check, the RPM spec
	build-essential fakeroot dpkg-dev debhelper devscripts lintian rpm
)

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: must run as root to install packages" >&2
	exit 1
fi

missing=()
for package in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null ||
		true)
	if [ "$status" != installed ]; then
		missing+=("$package")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps.sh: every package is installed"
	exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
