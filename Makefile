# Azalea: one Makefile.  `make native` builds every piece of C; `make test`
# is the README's test command; `make demo` its first command.
#
# The JDK: FFM is final from Java 22; scripts/setup.sh finds one (preferring
# Temurin 25) and installs missing Debian packages.

SETUP_JAVA_HOME := $(shell bash scripts/setup.sh 2>/dev/null | sed -n 's/^JAVA_HOME=//p')
JAVA_HOME ?= $(SETUP_JAVA_HOME)
ifeq ($(JAVA_HOME),)
  JAVA_HOME := $(SETUP_JAVA_HOME)
endif
export JAVA_HOME
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
MVN ?= mvn -B -q

BUILD := build
CC ?= gcc
CFLAGS_COMMON := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude

.PHONY: all native setup java test stress fuzz demo bench clean check-jdk format format-check
all: native java

# Installs missing packages; fails with a message naming what is missing.
setup:
	@bash scripts/setup.sh >/dev/null

check-jdk:
	@test -n "$(JAVA_HOME)" || { bash scripts/setup.sh; exit 1; }

# Each part of the C side adds itself to NATIVE_TARGETS in its own fragment.
NATIVE_TARGETS :=
include native/host/host.mk
include native/kernel/kernel.mk
include native/runtime/runtime.mk
include test-images/images.mk
include deploy/deploy.mk
include eval/eval.mk
include scripts/bindings.mk
include native/slurm/slurm.mk
include apps/sqlite/sqlite.mk

native: $(NATIVE_TARGETS)

java: check-jdk
	$(MVN) -DskipTests package

test: setup native check-jdk
	$(MAKE) format-check
	$(MAKE) native-test
	mvn -B verify

# The long start/end soak: 500 starts of 1-18 cores on reused quadrants, and
# 20 fresh nodes whose every core takes its first START at once.
stress: setup native check-jdk
	mvn -B verify -Dit.test=StartStressIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dazalea.stress.starts=500 -Dazalea.stress.nodes=20

# The long fuzzing run of the proxy (ProxyFuzzTest; `make test` runs 20,000 entries):
# FUZZ_ENTRIES random and mutated ring entries from seed FUZZ_SEED.
FUZZ_ENTRIES ?= 1000000
FUZZ_SEED ?= 11
fuzz: setup check-jdk
	mvn -B verify -Dtest=ProxyFuzzTest -DskipITs -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dazalea.fuzz.entries=$(FUZZ_ENTRIES) -Dazalea.fuzz.seed=$(FUZZ_SEED)

demo: setup native java
	bin/azalea deploy

bench: setup native java
	bin/azalea bench --out $(BUILD)/bench/results.json

# Formatting: clang-format for C (.clang-format), Spotless with palantir-java-format
# for Java (pom.xml).  abi.h keeps its hand-aligned layout: scripts/abi_parse.py
# reads it, and its columns are part of how it documents the contract; abi-dump.c
# is generated from it (make bindings) and checked byte for byte by BindingsUpToDateTest.
C_SOURCES = $(filter-out include/azalea/abi.h native/tools/abi-dump.c,$(shell find include native test-images deploy eval -name '*.[ch]' -not -path '*/build/*' | sort))

format: setup check-jdk
	clang-format -i $(C_SOURCES)
	$(MVN) spotless:apply

format-check: setup check-jdk
	clang-format --dry-run --Werror $(C_SOURCES)
	$(MVN) spotless:check

clean:
	rm -rf $(BUILD) target
