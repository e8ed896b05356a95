# pam_sechard: PAM session module, core library and the sechard tool.
#
#   make            build the module, the tool and the test helpers
#   make check      every test tier; root-only tiers skip with a reason
#   make demo       confine real runuser sessions with the shipped profiles
#   make install    honours DESTDIR, PREFIX and PAMDIR
#   make deps       install the Debian build and test packages (root)
#   make bench      per-syscall and per-session cost next to Docker's filter

PREFIX    ?= /usr
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
# Installed as $(SYSCONFDIR)/security/sechard.conf when none exists yet.
CONFIG_SOURCE ?= conf/sechard.conf
PKG_CONFIG ?= pkg-config
# Linux-PAM's pkg-config file gives libdir; modules live in its security/.
PAMDIR    ?= $(shell $(PKG_CONFIG) --variable=libdir pam 2>/dev/null || echo /lib)/security

CC        ?= cc
BUILD     := build

PKGS      := pam libseccomp libcap libselinux libapparmor json-c
# Expanded when a recipe runs, not when the Makefile is read, so that
# "make deps demo" on a fresh machine sees the packages deps installed.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS  = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
# Debian's iniparser 4.1 ships no pkg-config file.
INI_CFLAGS := -I/usr/include/iniparser
INI_LIBS  := -liniparser

WARNINGS  := -Wall -Wextra -Wformat=2 -Wshadow -Wcast-qual \
	     -Wmissing-prototypes -Wstrict-prototypes -Wwrite-strings \
	     -Wundef -Wpointer-arith -Wvla -Wno-unused-parameter
# CI sets CI=true; warnings are errors there.
ifeq ($(CI),true)
WERROR    := 1
endif
ifeq ($(WERROR),1)
WARNINGS  += -Werror
endif
CFLAGS    ?= -O2 -g
CFLAGS    += -std=gnu11 -fPIC -fvisibility=hidden -D_GNU_SOURCE \
	     -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
	     $(WARNINGS) -Ilib $(PKG_CFLAGS) $(INI_CFLAGS)
LDFLAGS   += -Wl,-z,relro -Wl,-z,now -Wl,-z,defs
LIBS      = $(PKG_LIBS) $(INI_LIBS)

LIB_SRC   := $(wildcard lib/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBSH     := $(BUILD)/libsechard.a

MODULE    := $(BUILD)/pam_sechard.so
CLI_SRC   := $(wildcard cli/*.c)
CLI       := $(BUILD)/sechard
PROBE     := $(BUILD)/probe

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%)
TEST_HELPERS_SRC := $(wildcard tests/helpers/*.c)
TEST_HELPERS := $(TEST_HELPERS_SRC:tests/helpers/%.c=$(BUILD)/tests/%)

.PHONY: all tests check demo install uninstall deps bench clean

all: $(MODULE) $(if $(CLI_SRC),$(CLI)) $(PROBE)

$(BUILD)/%.o: %.c lib/sechard.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIBSH): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The version script keeps every symbol but the pam_sm_* entry points local,
# so the static library inside cannot clash with the host program's.
$(MODULE): $(BUILD)/pam_sechard/pam_sechard.o $(LIBSH) pam_sechard/pam_sechard.map
	$(CC) -shared $(LDFLAGS) -Wl,--version-script=pam_sechard/pam_sechard.map \
		-o $@ $(BUILD)/pam_sechard/pam_sechard.o $(LIBSH) $(LIBS)

$(CLI): $(CLI_SRC:%.c=$(BUILD)/%.o) $(LIBSH)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(PROBE): tests/probe.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lseccomp -lpthread

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIBSH)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBSH) $(LIBS) \
		$(shell $(PKG_CONFIG) --cflags --libs cmocka)

$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIBSH)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(LIBSH) $(LIBS)

$(BUILD)/tests/%: tests/helpers/%.c $(LIBSH)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBSH) $(LIBS) \
		$(shell $(PKG_CONFIG) --cflags --libs libpamtest 2>/dev/null)

tests: all $(UNIT_BIN) $(FUZZ_BIN) $(TEST_HELPERS)

check: tests
	tests/run-all.sh

demo: all $(TEST_HELPERS)
	tests/demo.sh

bench: all
	tests/bench/bench.sh

deps:
	tests/install-deps.sh

# The configuration is installed only when none exists, and uninstall keeps
# it: it is the administrator's policy, not a file the build owns.
# Distribution packages set CONFIG_SOURCE to a configuration that confines
# nobody.
install: all
	install -d $(DESTDIR)$(PAMDIR) $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/security
	install -m 0644 $(MODULE) $(DESTDIR)$(PAMDIR)/pam_sechard.so
	$(if $(CLI_SRC),install -m 0755 $(CLI) $(DESTDIR)$(BINDIR)/sechard)
	for page in docs/*.[158]; do \
		[ -e "$$page" ] || continue; \
		install -m 0644 "$$page" $(DESTDIR)$(MANDIR)/man$${page##*.}/; \
	done
	[ -e $(DESTDIR)$(SYSCONFDIR)/security/sechard.conf ] || \
		install -m 0644 $(CONFIG_SOURCE) \
			$(DESTDIR)$(SYSCONFDIR)/security/sechard.conf

uninstall:
	rm -f $(DESTDIR)$(PAMDIR)/pam_sechard.so $(DESTDIR)$(BINDIR)/sechard
	for page in docs/*.[158]; do \
		[ -e "$$page" ] || continue; \
		rm -f $(DESTDIR)$(MANDIR)/man$${page##*.}/$${page##*/}; \
	done
	@echo "kept $(DESTDIR)$(SYSCONFDIR)/security/sechard.conf (remove it by hand)"

clean:
	rm -rf $(BUILD)
