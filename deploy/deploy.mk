# deploy/: the paper's deployment (`azalea deploy`, deploy/knl-snc4.deploy)
# and the workload programs its unikernels run, musl-static, built into
# build/deploy/ by `make native`.

DEPLOY_OUT := $(BUILD)/deploy
DEPLOY_PROGRAMS := aim7 fileserv
DEPLOY_TARGETS := $(addprefix $(DEPLOY_OUT)/,$(DEPLOY_PROGRAMS))
DEPLOY_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
NATIVE_TARGETS += $(DEPLOY_TARGETS)

.PHONY: deploy-programs
deploy-programs: $(DEPLOY_TARGETS)

$(DEPLOY_OUT)/%: deploy/programs/%.c deploy/programs/workload.h
	@mkdir -p $(dir $@)
	musl-gcc -static $(DEPLOY_CFLAGS) -o $@ $<
