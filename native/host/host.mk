# native/host/host.mk -- the C outside the kernel: the offload client, the host
# stub, the C baselines and the C tests.  Included by the top Makefile.
#
#   build/native/azalea-stub        the host stub (native/host/README.md)
#   build/native/bench-pingpong     cache-line ping-pong floor, JSON
#   build/native/bench-native       getppid and 4 KiB pread from C, JSON
#   build/native/client-test        the client against a C echo consumer
#   build/native/c-proxy            a minimal C proxy, for testing the stub without Java
#   build/native/echo-server        a TCP echo server for the socket workload
#   build/native/client/az_client.freestanding.o
#                                   the client built as the kernel will build it; fails
#                                   if it needs anything a kernel lacks
#   make native-test                runs the C tests; non-zero exit on any failure

HOST_OBJ := $(BUILD)/native/host-obj
HOST_CFLAGS := $(CFLAGS_COMMON) -pthread -MMD -MP
HOST_LDLIBS := -pthread

STUB_SRCS := native/client/az_client.c $(filter-out native/host/stub_main.c,$(wildcard native/host/*.c))
STUB_OBJS := $(patsubst %.c,$(HOST_OBJ)/%.o,$(STUB_SRCS))
TEST_SUPPORT_OBJS := $(HOST_OBJ)/native/tests/ring_host.o

$(HOST_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/native/azalea-stub: $(HOST_OBJ)/native/host/stub_main.o $(STUB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LDLIBS)

$(BUILD)/native/bench-pingpong: $(HOST_OBJ)/native/bench/pingpong.o $(HOST_OBJ)/native/bench/stats.o
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LDLIBS)

$(BUILD)/native/bench-native: $(HOST_OBJ)/native/bench/native_calls.o $(HOST_OBJ)/native/bench/stats.o
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LDLIBS)

$(BUILD)/native/client-test: $(HOST_OBJ)/native/tests/client_test.o $(HOST_OBJ)/native/tests/azlib_test.o \
		$(TEST_SUPPORT_OBJS) $(STUB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LDLIBS)

$(BUILD)/native/c-proxy: $(HOST_OBJ)/native/tests/c_proxy.o $(TEST_SUPPORT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LDLIBS)

$(BUILD)/native/echo-server: $(HOST_OBJ)/native/tests/echo_server.o
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LDLIBS)

# The kernel compiles az_client.c with no libc at all: prove here that it can
# (only the compiler's own <stdint.h>/<stddef.h>, no calls into a runtime).
$(BUILD)/native/client/az_client.freestanding.o: native/client/az_client.c native/client/az_client.h include/azalea/abi.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
		-fno-builtin -fno-stack-protector -mno-red-zone -mgeneral-regs-only -c $< -o $@
	@undef=$$(nm -u $@); if [ -n "$$undef" ]; then \
		echo "az_client.c needs symbols a kernel does not have: $$undef" >&2; rm -f $@; exit 1; fi

HOST_TARGETS := $(BUILD)/native/azalea-stub $(BUILD)/native/bench-pingpong $(BUILD)/native/bench-native \
	$(BUILD)/native/client-test $(BUILD)/native/c-proxy $(BUILD)/native/echo-server \
	$(BUILD)/native/client/az_client.freestanding.o
NATIVE_TARGETS += $(HOST_TARGETS)

.PHONY: native-host native-test
native-host: $(HOST_TARGETS)

# The C tests: the C opcode lists against abi.h, the client against a C
# consumer, then the stub's workloads through the C proxy compared with --direct.
native-test: $(HOST_TARGETS)
	$(PYTHON) scripts/check-opcodes.py
	$(BUILD)/native/client-test
	bash native/tests/stub_test.sh $(BUILD)/native

-include $(wildcard $(HOST_OBJ)/native/*/*.d)
