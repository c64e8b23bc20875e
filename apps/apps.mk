# apps: real applications built unmodified from their Debian source packages
# (apps/fetch-source.sh: `apt-get source`, downloads cached under
# build/apps/cache), for the integration tests that run them on a node and
# natively and compare (java/src/test/java/org/azalea/apps/):
#   build/apps/redis/   redis-server (static, musl) and the host's redis-benchmark
#                       and redis-cli, from the same source (RedisIT)
#   build/apps/tcl/     tclsh 8.6 (static, musl) with its library and test suite (TclIT)
# A target is rebuilt only when its build script changes; `make test` calls `make apps`.

APPS_OUT := $(BUILD)/apps
APPS_CACHE := $(APPS_OUT)/cache
APPS_TARGETS := $(APPS_OUT)/redis/redis-server $(APPS_OUT)/tcl/tclsh

.PHONY: apps
apps: $(APPS_TARGETS)

$(APPS_OUT)/redis/redis-server: apps/redis/build.sh apps/fetch-source.sh
	bash apps/redis/build.sh $(APPS_CACHE) $(APPS_OUT)/redis

$(APPS_OUT)/tcl/tclsh: apps/tcl/build.sh apps/fetch-source.sh
	bash apps/tcl/build.sh $(APPS_CACHE) $(APPS_OUT)/tcl

# SQLite's build (its own fragment, when present) adds itself to `apps`.
-include apps/sqlite/sqlite.mk
