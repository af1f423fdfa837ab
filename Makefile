# tenantrt — build, test, demo, install.
#
#   make            build everything into build/ (V=1 shows full command lines)
#   make test       set up the host (packages, hugepages), then `make check`
#   make check      run every suite; changes nothing on the host
#   make demo       the main job: real tenants from examples/tenants.yaml
#   make bench      benchmarks (not tests)
#   make samples    DPDK's own samples from dpdk-doc into build/samples
#   make fuzz       fuzz the YAML loader (FUZZ_SECONDS, default 60)
#   make install    PREFIX=/usr/local DESTDIR=
#   make SAN=address,undefined ...   sanitizer build
#
# Sources are found by wildcard, so a new file needs no Makefile change:
#   shim/{common,config,plan,host,isolate,run}/*.c -> build/libtrcore.a,
#                                    the control plane's stages
#   shim/main.c                   -> build/tenantrt-shim
#   shim/cli/*.c                  -> build/tenantrt (the operator CLI)
#   runtime/*.c                   -> build/libtenantrt.a (linked into apps)
#   runtime/apps/NAME/*.c         -> build/tenantrt-NAME
#   tests/unit/test_*.c           -> build/tests/test_* (cmocka, control plane)
#   tests/unit/rt_test_*.c        -> build/tests/rt_test_* (cmocka, libtenantrt)
#   tests/tools/*.c               -> build/tests/tools/* (DPDK helpers; may
#                                    call the control plane's libtrcore too)

PKG_CONFIG ?= pkg-config
CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
SAN ?=
FUZZ_SECONDS ?= 60
V ?= 0

# Quiet by default: one short line per step; V=1 for the full commands.
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

# The libraries we build on; `make` fails fast naming the missing ones.
# cmocka is needed by the tests only.
PKGS := libdpdk yaml-0.1 libcap libseccomp libmnl
TEST_PKGS := cmocka
missing = $(strip $(foreach p,$(1),$(if $(shell $(PKG_CONFIG) --exists $(p) && echo y),,$(p))))

# Lazily evaluated: `make test` installs the packages before they are asked.
YAML_CFLAGS = $(shell $(PKG_CONFIG) --cflags yaml-0.1)
YAML_LIBS = $(shell $(PKG_CONFIG) --libs yaml-0.1)
CAP_LIBS = $(shell $(PKG_CONFIG) --libs libcap)
SECCOMP_LIBS = $(shell $(PKG_CONFIG) --libs libseccomp)
# rtnetlink (common/rtnl.c): the tenant's network namespace and its links.
MNL_LIBS = $(shell $(PKG_CONFIG) --libs libmnl)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)
DPDK_CFLAGS = $(shell $(PKG_CONFIG) --cflags libdpdk)
DPDK_LIBS = $(shell $(PKG_CONFIG) --libs libdpdk)
# numa ships no .pc file on Debian 12; -lnuma is checked by pkgcheck.
NUMA_LIBS = -lnuma

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
HARDEN_LD := -pie -Wl,-z,relro,-z,now
# gnu11: C11 plus the GNU extensions DPDK's headers and our cleanup
# attributes rely on.
BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g $(WARN) $(HARDEN)
ifneq ($(SAN),)
BASE_CFLAGS += -fsanitize=$(SAN) -fno-omit-frame-pointer
HARDEN_LD += -fsanitize=$(SAN)
endif
CFLAGS ?=
LDFLAGS ?=

# Control-plane headers are included by their folder: "config/model.h".
# include/ holds the DPDK-free protocol both sides speak.
CORE_CFLAGS = $(BASE_CFLAGS) -Ishim -Iinclude $(YAML_CFLAGS) $(CFLAGS)
# The control plane only needs DPDK's build config (RTE_MAX_LCORE), not its
# libraries: the shim stays light and starts fast.
DPDK_INC = $(filter -I%,$(DPDK_CFLAGS))
# No libnuma: its constructor reads sysfs at every start (host/hostfacts.c).
CORE_LIBS = $(YAML_LIBS) $(CAP_LIBS) $(SECCOMP_LIBS) $(MNL_LIBS)
# The shim starts every container, so its own start-up is overhead on each:
# each library whose static archive exists (Debian's libyaml-dev, libcap-dev
# and libseccomp-dev ship one; libmnl-dev does not) is linked in, so that
# exec maps and resolves libc and libmnl only (each shared object costs
# about 0.1 ms). The others, shared as usual.
LD_STATIC := -Wl,-Bstatic
LD_DYNAMIC := -Wl,-Bdynamic
static_if_any = $(if $(wildcard $(shell $(CC) -print-file-name=lib$(1).a)),$(LD_STATIC) -l$(1) $(LD_DYNAMIC),-l$(1))
SHIM_LIBS = $(foreach l,$(patsubst -l%,%,$(filter -l%,$(CORE_LIBS))),$(call static_if_any,$(l)))
RT_CFLAGS = $(BASE_CFLAGS) -Iinclude -Iruntime $(DPDK_CFLAGS) $(CFLAGS)
RT_LIBS = $(DPDK_LIBS) $(NUMA_LIBS) -lpthread

STAGES := common config plan health host isolate run
# runtime/proto.c, the DPDK-free protocol of tenantrt_proto.h, is built
# into both sides (without DPDK's flags for the control plane).
CORE_SRC := $(foreach d,$(STAGES),$(wildcard shim/$(d)/*.c)) runtime/proto.c
CORE_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter shim/%,$(CORE_SRC))) $(BUILD)/core/proto.o
CLI_SRC := $(wildcard shim/cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
RT_SRC := $(wildcard runtime/*.c)
RT_OBJ := $(RT_SRC:%.c=$(BUILD)/%.o)
APPS := $(notdir $(wildcard runtime/apps/*))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
RT_UNIT_SRC := $(wildcard tests/unit/rt_test_*.c)
RT_UNIT_BIN := $(RT_UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)

RT_LIB := $(BUILD)/libtenantrt.a
BINS := $(BUILD)/tenantrt-shim $(BUILD)/tenantrt $(APPS:%=$(BUILD)/tenantrt-%)
PC := $(BUILD)/tenantrt.pc

.PHONY: all test check demo bench samples fuzz fuzz-build install clean pkgcheck testpkgcheck arch
.DEFAULT_GOAL := all

all: $(BINS) $(RT_LIB) $(PC)

pkgcheck:
	@m="$(call missing,$(PKGS))"; if [ -n "$$m" ]; then \
	  echo "tenantrt: missing libraries (pkg-config): $$m; on Debian 12: apt-get install libdpdk-dev libyaml-dev libcap-dev libseccomp-dev libmnl-dev libnuma-dev pkg-config (or run 'make test', which installs them)" >&2; exit 1; fi
	@printf 'int main(void){return 0;}' | $(CC) -x c - -o /dev/null -lnuma 2>/dev/null || \
	  { echo "tenantrt: missing library: libnuma; on Debian 12: apt-get install libnuma-dev" >&2; exit 1; }

testpkgcheck: pkgcheck
	@m="$(call missing,$(TEST_PKGS))"; if [ -n "$$m" ]; then \
	  echo "tenantrt: the tests need $$m; on Debian 12: apt-get install libcmocka-dev (or run 'make test', which installs it)" >&2; exit 1; fi

$(BUILD)/shim/%.o: shim/%.c | pkgcheck
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CORE_CFLAGS) $(DPDK_INC) -MMD -MP -c $< -o $@

$(BUILD)/core/proto.o: runtime/proto.c | pkgcheck
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CORE_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtrcore.a: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/tenantrt-shim: $(BUILD)/shim/main.o $(BUILD)/libtrcore.a
	$(call say,LINK,$@)$(CC) $(BASE_CFLAGS) $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(SHIM_LIBS)

$(BUILD)/tenantrt: $(CLI_OBJ) $(BUILD)/libtrcore.a
	$(call say,LINK,$@)$(CC) $(BASE_CFLAGS) $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(CORE_LIBS)

$(BUILD)/runtime/%.o: runtime/%.c | pkgcheck
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(RT_LIB): $(RT_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

# One binary per app folder; its objects are every .c in the folder.
define app_rule
$(BUILD)/tenantrt-$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard runtime/apps/$(1)/*.c)) $(RT_LIB)
	$$(call say,LINK,$$@)$$(CC) $$(BASE_CFLAGS) $$^ -o $$@ $$(HARDEN_LD) $$(LDFLAGS) $$(RT_LIBS)
endef
$(foreach a,$(APPS),$(eval $(call app_rule,$(a))))

$(PC): runtime/tenantrt.pc.in Makefile
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)sed 's#@PREFIX@#$(PREFIX)#' $< >$@

# -MMD: a test is rebuilt when a header it includes (tests/unit/helpers.h,
# a stage's header) changes; those headers are then among its
# prerequisites, hence the filter on what is compiled.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libtrcore.a | testpkgcheck
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CORE_CFLAGS) -Itests/unit $(DPDK_INC) -DTR_SOURCE_DIR='"$(CURDIR)"' $(TEST_DEFS) -MMD -MP $(filter %.c %.a,$^) -o $@ $(HARDEN_LD) $(LDFLAGS) $(CORE_LIBS) $(CMOCKA_LIBS)

# test_usage runs the built binaries with bad command lines: it finds them
# in TR_BUILD_DIR, and they are built first.
$(BUILD)/tests/test_usage: TEST_DEFS = -DTR_BUILD_DIR='"$(abspath $(BUILD))"'
$(BUILD)/tests/test_usage: | $(BUILD)/tenantrt-shim $(BUILD)/tenantrt

$(BUILD)/tests/rt_test_%: tests/unit/rt_test_%.c $(RT_LIB) | testpkgcheck
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(RT_CFLAGS) -Itests/unit -DTR_SOURCE_DIR='"$(CURDIR)"' -MMD -MP $(filter %.c %.a,$^) -o $@ $(HARDEN_LD) $(LDFLAGS) $(RT_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(RT_LIB) $(BUILD)/libtrcore.a | pkgcheck
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(RT_CFLAGS) -Ishim $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(RT_LIBS) $(CORE_LIBS)

# The fuzz target: libFuzzer (clang) with ASan/UBSan over the YAML loader.
FUZZ_BIN := $(BUILD)/fuzz/fuzz_config
$(FUZZ_BIN): tests/fuzz/fuzz_config.c $(CORE_SRC) | pkgcheck
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)clang -std=gnu11 -D_GNU_SOURCE -g -O1 -Ishim -Iinclude $(DPDK_INC) $(YAML_CFLAGS) \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  $^ -o $@ $(CORE_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@bash tests/fuzz/run.sh $(FUZZ_BIN) $(FUZZ_SECONDS)

# The layering of the sources (tests/arch/layers.sh): no include or call
# from a lower stage to a higher one, no cycle.
arch: $(CORE_OBJ) $(CLI_OBJ) $(BUILD)/shim/main.o $(RT_OBJ)
	@bash tests/arch/layers.sh "$(BUILD)"

# --- the two README commands -------------------------------------------------

# Installs what is missing (packages, hugepages, hugetlbfs), then runs every
# suite in a fresh make so the library checks see the installed packages.
test:
	@bash deploy/host/setup.sh
	@$(MAKE) --no-print-directory check

check: all $(UNIT_BIN) $(RT_UNIT_BIN) $(TOOL_BIN) fuzz-build arch
	@bash tests/run.sh "$(BUILD)"

demo:
	@bash deploy/host/setup.sh
	@$(MAKE) --no-print-directory all $(TOOL_BIN)
	@bash deploy/host/demo.sh "$(BUILD)"

# DPDK's samples (client_server_mp, symmetric_mp, simple_mp, l2fwd) built
# from Debian's dpdk-doc: anchors for bench, tenant apps for the tests.
samples:
	@bash tests/samples/build.sh "$(BUILD)"

bench:
	@bash deploy/host/setup.sh
	@$(MAKE) --no-print-directory all $(TOOL_BIN) samples
	@bash tests/bench/run.sh "$(BUILD)"

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(RT_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 $(wildcard include/*.h) $(DESTDIR)$(PREFIX)/include/
	install -m 0644 $(PC) $(DESTDIR)$(PREFIX)/lib/pkgconfig/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
