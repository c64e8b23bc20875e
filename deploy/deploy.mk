# deploy/: the paper's deployment (`azalea deploy`, deploy/knl-snc4.deploy)
# and the workload programs its unikernels run, musl-static, built into
# build/deploy/ by `make native`.  aim7 is built from deploy/programs/aim7/
# with the workfiles of eval/workfiles/ inside it; its unit test (workfile
# parser and weights, jobs/min arithmetic) runs in `make native-test`.

DEPLOY_OUT := $(BUILD)/deploy
DEPLOY_PROGRAMS := aim7 fileserv
DEPLOY_TARGETS := $(addprefix $(DEPLOY_OUT)/,$(DEPLOY_PROGRAMS))
DEPLOY_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
NATIVE_TARGETS += $(DEPLOY_TARGETS)

AIM7_DIR := deploy/programs/aim7
AIM7_SRCS := $(filter-out $(AIM7_DIR)/aim7_test.c,$(wildcard $(AIM7_DIR)/*.c))
AIM7_WORKFILES := eval/workfiles

.PHONY: deploy-programs aim7-test
deploy-programs: $(DEPLOY_TARGETS)

$(DEPLOY_OUT)/aim7: $(AIM7_SRCS) $(AIM7_DIR)/aim7.h $(wildcard $(AIM7_WORKFILES)/*.wf)
	@mkdir -p $(dir $@)
	musl-gcc -static $(DEPLOY_CFLAGS) -pthread -DAIM7_WORKFILES=$(AIM7_WORKFILES) -o $@ $(AIM7_SRCS) -lm

$(DEPLOY_OUT)/%: deploy/programs/%.c deploy/programs/workload.h
	@mkdir -p $(dir $@)
	musl-gcc -static $(DEPLOY_CFLAGS) -o $@ $<

$(DEPLOY_OUT)/aim7-test: $(AIM7_DIR)/aim7_test.c $(AIM7_DIR)/workfile.c $(AIM7_DIR)/jpm.c $(AIM7_DIR)/aim7.h
	@mkdir -p $(dir $@)
	$(CC) $(DEPLOY_CFLAGS) -pthread -o $@ $(AIM7_DIR)/aim7_test.c $(AIM7_DIR)/workfile.c $(AIM7_DIR)/jpm.c -lm

aim7-test: $(DEPLOY_OUT)/aim7-test $(DEPLOY_OUT)/aim7
	$(DEPLOY_OUT)/aim7-test $(AIM7_WORKFILES)

native-test: aim7-test
