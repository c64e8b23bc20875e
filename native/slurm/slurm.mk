# native/slurm/slurm.mk -- the Slurm SPANK plugin (README "On a cluster").
# Included by the top Makefile.  Built only where Debian's libslurm-dev is
# installed (scripts/setup.sh installs it); elsewhere `make native` says so.
#
#   build/native/slurm/spank_azalea.so   the plugin, for plugstack.conf
#   build/native/slurm/options-test      its option parser's unit test (make native-test)
#
# The plugin finds bin/azalea and native/slurm/azalea-slurm-task under
# AZALEA_HOME, this checkout unless given (or home= in plugstack.conf).

SLURM_OUT := $(BUILD)/native/slurm
SLURM_HEADER := $(wildcard /usr/include/slurm/spank.h)
AZALEA_HOME ?= $(abspath .)
SLURM_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIC
SLURM_SRCS := native/slurm/spank_azalea.c native/slurm/job_node.c native/slurm/as_user.c native/slurm/options.c

ifneq ($(SLURM_HEADER),)
NATIVE_TARGETS += $(SLURM_OUT)/spank_azalea.so $(SLURM_OUT)/options-test

$(SLURM_OUT)/spank_azalea.so: $(SLURM_SRCS) native/slurm/options.h native/slurm/plugin.h
	@mkdir -p $(dir $@)
	$(CC) $(SLURM_CFLAGS) -shared -DAZALEA_HOME='"$(AZALEA_HOME)"' -o $@ $(SLURM_SRCS)

$(SLURM_OUT)/options-test: native/slurm/options_test.c native/slurm/options.c native/slurm/options.h
	@mkdir -p $(dir $@)
	$(CC) $(SLURM_CFLAGS) -o $@ native/slurm/options_test.c native/slurm/options.c

native-test: native-slurm-test
.PHONY: native-slurm-test
native-slurm-test: $(SLURM_OUT)/options-test
	$(SLURM_OUT)/options-test
else
NATIVE_TARGETS += slurm-plugin-skipped
.PHONY: slurm-plugin-skipped
slurm-plugin-skipped:
	@echo "make native: the Slurm plugin is not built: /usr/include/slurm/spank.h is missing (apt-get install libslurm-dev)"
endif

# The test image SlurmClusterIT runs as a step's tasks (test-images/images.mk's rules).
NATIVE_TARGETS += $(TI_OUT)/slurm_task
