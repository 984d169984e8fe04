# qauth build. `make` builds the programs; `make check` installs what is
# missing, builds and runs every suite; `make check-asan` reruns the unit,
# vectors, bad-input and integration suites under AddressSanitizer/UBSan;
# `make bench`, `make demo`, `make install PREFIX=/usr/local DESTDIR=`
# (stripped; INSTALL_STRIP= keeps the symbols).

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
SAN     ?=

# CXXFLAGS and LDFLAGS are the user's to set; what the build needs is in Q*.
CXX      ?= g++
# libpsl (the public suffix list, common/dns/org_domain.cpp) reaches only the
# programs that ask for an organizational domain: the archive member is pulled
# in only by them, and -Wl,--as-needed drops the shared library elsewhere.
PKGS     := openssl libsodium ldns libpsl
CXXFLAGS ?= -O2 -g
QCXXFLAGS := -std=c++23 -Wall -Wextra -Icommon \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(SAN)
QLDFLAGS  := -Wl,--as-needed -Wl,-O1 $(SAN)
LDLIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# LINK: how the C and C++ run-times are linked (INSTALL says why).
#   static-cxx  (default) libstdc++, libgcc, ldns and libpsl (with libidn2
#               and libunistring) are linked in; glibc, OpenSSL and libsodium
#               stay shared, so their security updates reach the programs
#               without a rebuild (an ldns or libpsl one needs it; the suffix
#               list itself is a file read at run time).
#   shared      everything shared.
#   static      a fully static build: the fastest start, but every library
#               update then needs a rebuild.
# A sanitizer build (SAN) is always shared: ASan must replace the allocator.
LINK ?= static-cxx
ifneq ($(SAN),)
LINK := shared
endif
# Debian's libpsl.pc names no private libraries: libpsl.a needs libidn2 (and
# through it libunistring) for IDN rules, hence libidn2 wherever libpsl is
# linked statically.
ifeq ($(LINK),static-cxx)
QLDFLAGS += -static-libstdc++ -static-libgcc
LDLIBS   := -Wl,-Bstatic $(shell pkg-config --libs ldns 2>/dev/null) \
            $(shell pkg-config --static --libs libpsl libidn2 2>/dev/null) -Wl,-Bdynamic \
            $(shell pkg-config --libs openssl libsodium 2>/dev/null)
else ifeq ($(LINK),static)
QLDFLAGS += -static
LDLIBS   := $(shell pkg-config --static --libs ldns openssl libsodium libpsl libidn2 2>/dev/null)
else ifneq ($(LINK),shared)
$(error LINK=$(LINK): use static-cxx, shared or static)
endif

PROGRAMS := $(notdir $(wildcard cmd/*))
LIB_SRC  := $(shell find common -name '*.cpp' | sort)
LIB_OBJ  := $(LIB_SRC:%.cpp=$(BUILD)/obj/%.o)
FUZZERS  := $(patsubst tests/fuzz/%.cpp,$(BUILD)/bin/%,$(wildcard tests/fuzz/fuzz_*.cpp))
FUZZ_RT  ?=
UNIT_SRC := $(wildcard tests/unit/*.cpp)
UNIT_OBJ := $(UNIT_SRC:%.cpp=$(BUILD)/obj/%.o)
BINS     := $(PROGRAMS:%=$(BUILD)/bin/%)
# Test drivers (tests/tools/*.cpp): built with the programs, never installed.
TOOLS    := $(patsubst tests/tools/%.cpp,$(BUILD)/tests/%,$(wildcard tests/tools/*.cpp))
MANPAGES := $(wildcard man/*.[1-8])

.PHONY: all deps check check-asan unit bench demo fuzz fuzzers install clean FORCE
# Keep the objects that only pattern rules name (the mains, the fuzz
# harnesses): make would delete them as intermediate files and relink on the
# next run. Not a bare .SECONDARY: that makes the library's objects secondary
# too, and a new common/*.cpp was then never compiled into an archive newer
# than the file.
.SECONDARY: $(PROGRAMS:%=$(BUILD)/obj/cmd/%/main.o) \
            $(FUZZERS:$(BUILD)/bin/%=$(BUILD)/obj/tests/fuzz/%.o) $(BUILD)/obj/tests/fuzz/driver.o \
            $(TOOLS:$(BUILD)/tests/%=$(BUILD)/obj/tests/tools/%.o)
all: $(BINS) $(BUILD)/bin/unit-tests $(TOOLS)

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(QCXXFLAGS) $(CXXFLAGS) -MMD -MP -c $< -o $@

# OpenSSL 3 deprecates the low-level SHA and RSA functions and
# RAND_set_rand_method, which the crypto fast paths use on purpose (the
# measured reasons are at the top of each file); the unit test builds RSA
# keys with them. Only these objects are spared the warning.
DEPRECATED_OK := common/crypto/hash common/crypto/hmac common/crypto/random common/crypto/rsa \
                 tests/unit/test_crypto tests/unit/test_srs
$(DEPRECATED_OK:%=$(BUILD)/obj/%.o): QCXXFLAGS += -Wno-deprecated-declarations

# CLI11 is header-only and included by every main through cli/cli.hpp. It
# is precompiled once per build directory with the objects' own flags (GCC
# uses a PCH only when they match; -Winvalid-pch turns a mismatch into a
# warning instead of a silent slow path) and given with -include to the
# files that use it. $(BUILD)/pch/flags holds the compile command and is
# rewritten only when it differs, so changing CXX, CXXFLAGS or SAN rebuilds
# the PCH and these objects. "private": the PCH, a prerequisite, must not
# inherit the -include of its users.
PCH     := $(BUILD)/pch/cli11.hpp
CLI_OBJ := $(PROGRAMS:%=$(BUILD)/obj/cmd/%/main.o) $(BUILD)/obj/common/cli/cli.o $(BUILD)/obj/common/dns/cli.o $(BUILD)/obj/common/srs/cli.o $(BUILD)/obj/common/dkim/cli.o
PCH_CMD  = $(CXX) $(CPPFLAGS) $(QCXXFLAGS) $(CXXFLAGS)
$(CLI_OBJ): private QCXXFLAGS += -include $(PCH) -Winvalid-pch
$(CLI_OBJ): $(PCH).gch

$(PCH): common/cli/cli11.hpp
	@mkdir -p $(@D)
	cp $< $@

$(PCH).gch: $(PCH) $(BUILD)/pch/flags
	$(PCH_CMD) -MD -MP -MF $@.d -x c++-header $< -o $@

$(BUILD)/pch/flags:
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(PCH_CMD))' >$@
ifneq ($(strip $(file <$(BUILD)/pch/flags)),$(strip $(PCH_CMD)))
$(BUILD)/pch/flags: FORCE
endif
FORCE:
-include $(PCH).gch.d

$(BUILD)/libqauth.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# $(BUILD)/link-flags holds the link command, rewritten only when it
# differs, so that changing LINK, LDFLAGS or SAN relinks the programs.
LINK_CMD = $(CXX) $(QLDFLAGS) $(LDFLAGS) $(LDLIBS)
$(BUILD)/link-flags:
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(LINK_CMD))' >$@
ifneq ($(strip $(file <$(BUILD)/link-flags)),$(strip $(LINK_CMD)))
$(BUILD)/link-flags: FORCE
endif

$(BUILD)/bin/%: $(BUILD)/obj/cmd/%/main.o $(BUILD)/libqauth.a $(BUILD)/link-flags
	@mkdir -p $(@D)
	$(CXX) $(QLDFLAGS) $(LDFLAGS) $< $(BUILD)/libqauth.a $(LDLIBS) -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/tools/%.o $(BUILD)/libqauth.a $(BUILD)/link-flags
	@mkdir -p $(@D)
	$(CXX) $(QLDFLAGS) $(LDFLAGS) $< $(BUILD)/libqauth.a $(LDLIBS) -o $@

# The unit tests find tests/data and ../shared/testdata from any working
# directory (tests/unit/testdata.hpp): the top directory is built in.
$(BUILD)/obj/tests/unit/testdata.o: QCXXFLAGS += -DQAUTH_TOP='"$(CURDIR)"'

$(BUILD)/bin/unit-tests: $(UNIT_OBJ) $(BUILD)/libqauth.a $(BUILD)/link-flags
	@mkdir -p $(@D)
	$(CXX) $(QLDFLAGS) $(LDFLAGS) $(UNIT_OBJ) $(BUILD)/libqauth.a $(LDLIBS) -o $@

# Fuzz harnesses: tests/fuzz/fuzz_*.cpp, each with main() from driver.cpp.
# FUZZ_RT: the AFL++ runtime that scripts/fuzz links in; empty, the plain
# build replays inputs from files or stdin.
$(BUILD)/bin/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/driver.o $(BUILD)/libqauth.a
	@mkdir -p $(@D)
	$(CXX) $(QLDFLAGS) $(LDFLAGS) $< $(BUILD)/obj/tests/fuzz/driver.o $(BUILD)/libqauth.a $(FUZZ_RT) $(LDLIBS) -o $@

fuzzers: $(FUZZERS)

deps:
	scripts/install-deps

check: deps
	$(MAKE) all
	scripts/run-tests --bin $(BUILD)/bin

check-asan: deps
	$(MAKE) all BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" CXXFLAGS="-O1 -g"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  scripts/run-tests --bin build-asan/bin --suites unit,vectors,badinput,integration

unit: $(BUILD)/bin/unit-tests
	$(BUILD)/bin/unit-tests

# The benchmark also reports the fully static build (INSTALL: LINK).
bench: deps
	$(MAKE) all
	$(MAKE) all LINK=static BUILD=$(BUILD)-static
	scripts/bench --bin $(BUILD)/bin --static-bin $(BUILD)-static/bin

demo:
	scripts/demo

# AFL++ in persistent mode with ASan (scripts/fuzz); FUZZ_SECONDS per harness.
FUZZ_SECONDS ?= 60
fuzz: deps
	scripts/fuzz $(FUZZ_SECONDS)

# The programs are stripped on install (install -s, with STRIP as the strip
# program for a cross build). INSTALL_STRIP= installs them as built, with
# their symbols, for a packager's own strip and debug-symbol step
# (dh_strip, DEB_BUILD_OPTIONS=nostrip).
INSTALL       ?= install
STRIP         ?= strip
INSTALL_STRIP ?= -s --strip-program=$(STRIP)
install: $(BINS)
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin
	$(INSTALL) $(INSTALL_STRIP) -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	for m in $(MANPAGES); do s=$${m##*.}; $(INSTALL) -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
	  $(INSTALL) -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done

clean:
	rm -rf build build-*

-include $(LIB_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(FUZZERS:$(BUILD)/bin/%=$(BUILD)/obj/tests/fuzz/%.d) $(BUILD)/obj/tests/fuzz/driver.d $(PROGRAMS:%=$(BUILD)/obj/cmd/%/main.d) \
         $(TOOLS:$(BUILD)/tests/%=$(BUILD)/obj/tests/tools/%.d)
