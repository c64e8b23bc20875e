# eval/: the evaluation's programs (`azalea eval`, org.azalea.eval), musl-static
# like the workloads, built into build/eval-programs/ by `make native`:
#   noise      the OS noise probe (fixed work quanta)
#   callcost   the per-call cost of open/read/write/stat/close
#   init       PID 1 of the Linux guest's initramfs (eval/linux/init.c)
# The workload itself is build/deploy/aim7 (deploy/deploy.mk).
# `make linux-guest` fetches the guest's kernel (scripts/linux-guest.sh);
# `make eval` runs the evaluation into build/eval/.

EVAL_OUT := $(BUILD)/eval-programs
EVAL_PROGRAMS := $(EVAL_OUT)/noise $(EVAL_OUT)/callcost $(EVAL_OUT)/init
NATIVE_TARGETS += $(EVAL_PROGRAMS)

$(EVAL_OUT)/%: eval/programs/%.c
	@mkdir -p $(dir $@)
	musl-gcc -static $(DEPLOY_CFLAGS) -o $@ $<

$(EVAL_OUT)/init: eval/linux/init.c
	@mkdir -p $(dir $@)
	musl-gcc -static $(DEPLOY_CFLAGS) -o $@ $<

.PHONY: linux-guest eval
linux-guest:
	bash scripts/linux-guest.sh

EVAL_ARGS ?=
eval: setup native java linux-guest
	bin/azalea eval $(EVAL_ARGS)
