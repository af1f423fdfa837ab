# tenantrt — build, test, demo, install.
#
#   make            build everything into build/
#   make test       set up the host (packages, hugepages) and run every suite
#   make demo       the main job: real tenants from examples/tenants.yaml
#   make bench      benchmarks (not tests)
#   make fuzz       fuzz the YAML loader (FUZZ_SECONDS, default 60)
#   make install    PREFIX=/usr/local DESTDIR=
#   make SAN=address,undefined ...   sanitizer build
#
# Sources are found by wildcard, so a new file in shim/, runtime/ or
# tests/unit/ needs no Makefile change:
#   shim/*.c (but shim/main_*.c)  -> build/libtrcore.a, the control plane
#   shim/main_shim.c              -> build/tenantrt-shim
#   shim/main_cli.c               -> build/tenantrt
#   runtime/*.c                   -> build/libtenantrt.a (linked into apps)
#   runtime/fwd/*.c               -> build/tenantrt-fwd
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

# The libraries we build on; `make` fails fast naming the missing ones.
PKGS := libdpdk yaml-0.1 libcap libseccomp cmocka
missing_pkgs = $(strip $(foreach p,$(PKGS),$(if $(shell $(PKG_CONFIG) --exists $(p) && echo y),,$(p))))

# Lazily evaluated: `make test` installs the packages before they are asked.
YAML_CFLAGS = $(shell $(PKG_CONFIG) --cflags yaml-0.1)
YAML_LIBS = $(shell $(PKG_CONFIG) --libs yaml-0.1)
CAP_LIBS = $(shell $(PKG_CONFIG) --libs libcap)
SECCOMP_LIBS = $(shell $(PKG_CONFIG) --libs libseccomp)
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

CORE_CFLAGS = $(BASE_CFLAGS) -Ishim $(YAML_CFLAGS) $(CFLAGS)
# The control plane only needs DPDK's build config (RTE_MAX_LCORE), not its
# libraries: the shim stays light and starts fast.
CORE_LIBS = $(YAML_LIBS) $(CAP_LIBS) $(SECCOMP_LIBS) $(NUMA_LIBS)
RT_CFLAGS = $(BASE_CFLAGS) -Iinclude -Iruntime $(DPDK_CFLAGS) $(CFLAGS)
RT_LIBS = $(DPDK_LIBS) $(NUMA_LIBS) -lpthread

CORE_SRC := $(filter-out shim/main_%.c,$(wildcard shim/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
RT_SRC := $(wildcard runtime/*.c)
RT_OBJ := $(RT_SRC:%.c=$(BUILD)/%.o)
FWD_SRC := $(wildcard runtime/fwd/*.c)
FWD_OBJ := $(FWD_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
RT_UNIT_SRC := $(wildcard tests/unit/rt_test_*.c)
RT_UNIT_BIN := $(RT_UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)

BINS := $(BUILD)/tenantrt-shim $(BUILD)/tenantrt
ifneq ($(RT_SRC),)
RT_LIB := $(BUILD)/libtenantrt.a
endif
ifneq ($(FWD_SRC),)
BINS += $(BUILD)/tenantrt-fwd
endif

.PHONY: all test check unit integration demo bench fuzz fuzz-build install clean pkgcheck setup
.DEFAULT_GOAL := all

all: $(BINS) $(RT_LIB)

pkgcheck:
	@m="$(missing_pkgs)"; if [ -n "$$m" ]; then \
	  echo "tenantrt: missing libraries (pkg-config): $$m; on Debian 12: apt-get install libdpdk-dev libyaml-dev libcap-dev libseccomp-dev libcmocka-dev libnuma-dev pkg-config (or run 'make test', which installs them)" >&2; exit 1; fi
	@printf 'int main(void){return 0;}' | $(CC) -x c - -o /dev/null -lnuma 2>/dev/null || \
	  { echo "tenantrt: missing library: libnuma; on Debian 12: apt-get install libnuma-dev" >&2; exit 1; }

$(BUILD)/shim/%.o: shim/%.c | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) $(DPDK_INC) -MMD -MP -c $< -o $@

# RTE_MAX_LCORE etc. without -march or DPDK's libraries.
DPDK_INC = $(filter -I%,$(DPDK_CFLAGS))

$(BUILD)/libtrcore.a: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/tenantrt-shim: $(BUILD)/shim/main_shim.o $(BUILD)/libtrcore.a
	$(CC) $(BASE_CFLAGS) $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(CORE_LIBS)

$(BUILD)/tenantrt: $(BUILD)/shim/main_cli.o $(BUILD)/libtrcore.a
	$(CC) $(BASE_CFLAGS) $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(CORE_LIBS)

$(BUILD)/runtime/%.o: runtime/%.c | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtenantrt.a: $(RT_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/tenantrt-fwd: $(FWD_OBJ) $(RT_LIB)
	$(CC) $(BASE_CFLAGS) $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(RT_LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libtrcore.a | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) $(DPDK_INC) -DTR_SOURCE_DIR='"$(CURDIR)"' $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(CORE_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/rt_test_%: tests/unit/rt_test_%.c $(RT_LIB) | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -DTR_SOURCE_DIR='"$(CURDIR)"' $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(RT_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(RT_LIB) $(BUILD)/libtrcore.a | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) $^ -o $@ $(HARDEN_LD) $(LDFLAGS) $(RT_LIBS) $(CORE_LIBS)

# The fuzz target: libFuzzer (clang) with ASan/UBSan over the YAML loader.
FUZZ_BIN := $(BUILD)/fuzz/fuzz_config
$(FUZZ_BIN): tests/fuzz/fuzz_config.c $(CORE_SRC) | pkgcheck
	@mkdir -p $(dir $@)
	clang -std=gnu11 -D_GNU_SOURCE -g -O1 -Ishim $(DPDK_INC) $(YAML_CFLAGS) \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  $^ -o $@ $(CORE_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@bash tests/fuzz/run.sh $(FUZZ_BIN) $(FUZZ_SECONDS)

# --- the two README commands -------------------------------------------------

# Installs what is missing (packages, hugepages, hugetlbfs), then runs every
# suite in a fresh make so the library checks see the installed packages.
test:
	@bash deploy/host/setup.sh
	@$(MAKE) --no-print-directory check

check: all $(UNIT_BIN) $(RT_UNIT_BIN) $(TOOL_BIN) fuzz-build
	@bash tests/run.sh "$(BUILD)"

demo:
	@bash deploy/host/setup.sh
	@$(MAKE) --no-print-directory all $(TOOL_BIN)
	@bash deploy/host/demo.sh "$(BUILD)"

bench:
	@bash deploy/host/setup.sh
	@$(MAKE) --no-print-directory all $(TOOL_BIN)
	@bash tests/bench/run.sh "$(BUILD)"

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	$(if $(RT_LIB),install -m 0644 $(RT_LIB) $(DESTDIR)$(PREFIX)/lib/)
	$(if $(wildcard include/*.h),install -m 0644 $(wildcard include/*.h) $(DESTDIR)$(PREFIX)/include/)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
