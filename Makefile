# vigil — an OCI container runtime. `make demo` and `make check` work on a fresh Debian 12 as root.
CXX      ?= g++
CXXSTD   := -std=gnu++20
WARN     := -Wall -Wextra -Werror
# libdbus-1's headers: one part is per architecture.
MULTIARCH := $(shell gcc -print-multiarch)
CPPFLAGS := -I. -I/usr/include/dbus-1.0 -I/usr/lib/$(MULTIARCH)/dbus-1.0/include -MMD -MP
CXXFLAGS ?= -O2
# libcrypto: exec verification's SHA-256/512 only (runtime/verify/digest.cpp says why not EVP).
LDLIBS   := -lseccomp -lcap -lboost_program_options -lcrypto -ldbus-1
# Every core, always: make check's first stage is the build, and every later one waits on it.
MAKEFLAGS += -j$(shell nproc)
# No built-in rules: through them make would try to make the dependency files it includes
# from the unity sources.
MAKEFLAGS += -r

VERSION  := 0.1.0
CPPFLAGS += -DVIGIL_VERSION='"$(VERSION)"'

LIB_SRC  := $(sort $(wildcard oci/*.cpp runtime/*/*.cpp runtime/*/*/*.cpp hooks/*.cpp))
CMD_SRC  := $(sort $(wildcard cmd/*.cpp))

# A unity build: each folder of the library, cmd/, and each third of the unit tests is compiled
# as one translation unit (build/unity/NAME.cpp #includes its files). Most of a file's time went
# to the templates every file instantiates again, nlohmann/json's above all: vigil's 162 files
# took 617 s of CPU at -O2 and their 18 units take 137; the sanitized library 351 s, its 17
# units about 100. `make includes` checks that each file still includes what it uses.
UNITY_DIR   := build/unity
LIB_DIRS    := $(sort $(patsubst %/,%,$(dir $(LIB_SRC))))
LIB_UNITS   := $(foreach d,$(LIB_DIRS),lib_$(subst /,_,$(d)))
UNIT_GROUPS := a-l m-r s-z
$(foreach d,$(LIB_DIRS),$(eval UNITY_lib_$(subst /,_,$(d)) := $(sort $(wildcard $(d)/*.cpp))))
UNITY_cmd   := $(CMD_SRC)
$(foreach g,$(UNIT_GROUPS),$(eval UNITY_unit_$(g) := $(sort $(wildcard tests/unit/[$(g)]*.cpp))))
OBJ            := $(patsubst %,build/obj/%.o,$(LIB_UNITS) cmd)
LIB_UNITY_OBJ  := $(patsubst %,build/fuzz/obj/%.o,$(LIB_UNITS))
UNIT_UNITY_OBJ := $(patsubst %,build/fuzz/obj/unit_%.o,$(UNIT_GROUPS))
# What a unit's name stands for in the build's output: its folder's files.
unity_what = $(patsubst %/,%,$(dir $(firstword $(UNITY_$(1)))))/*.cpp

# Debian packages the build and the tests need (make deps installs the missing ones).
DEPS       := g++ make clang libclang-rt-14-dev libseccomp-dev nlohmann-json3-dev libcap-dev libboost-program-options-dev libssl-dev \
              libgtest-dev bats busybox-static gcc-multilib jq podman containerd python3-grpcio python3-protobuf python3-grpc-tools python3-pkg-resources xz-utils procps \
              debootstrap libdbus-1-dev qemu-system-x86
BENCH_DEPS := runc crun runsc

.PHONY: FORCE all deps demo check check-build includes unit integration clients workloads guest fuzz bench install uninstall clean
all: build/vigil

# Static: every container start execs vigil twice, and dynamic loading costs a millisecond each.
build/vigil: $(OBJ)
	@echo "  LINK    $@"
	@$(CXX) $(CXXFLAGS) -static -s -o $@ $^ $(LDLIBS)

build/obj/%.o: $(UNITY_DIR)/%.cpp
	@mkdir -p $(dir $@)
	@echo "  CXX     $(call unity_what,$*)"
	@$(CXX) $(CXXSTD) $(WARN) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

# A unit's source: an #include of each of its files, rewritten only when that list changes.
.PRECIOUS: $(UNITY_DIR)/%.cpp
$(UNITY_DIR)/%.cpp: FORCE
	@mkdir -p $(dir $@)
	@printf '#include "%s"\n' $(UNITY_$*) | cmp -s - $@ || printf '#include "%s"\n' $(UNITY_$*) >$@

# Each file compiled alone, syntax only: in a unit a file may lean on the includes of the
# files before it, and this says where one does.
INCLUDE_CHECKS := $(patsubst %.cpp,build/includes/%.ok,$(LIB_SRC) $(CMD_SRC))
includes: $(INCLUDE_CHECKS)
build/includes/%.ok: %.cpp
	@mkdir -p $(dir $@)
	@echo "  CHECK   $<"
	@$(CXX) $(CXXSTD) $(WARN) $(CPPFLAGS) -MT $@ -MF $(@:.ok=.d) -fsyntax-only $< && touch $@

# The unit tests are built from the fuzz targets' objects (clang, ASan+UBSan, below): one
# sanitized build of the library, not two.
build/unit-tests: $(UNIT_UNITY_OBJ) build/fuzz/libvigil.a
	@echo "  LINK    $@"
	@$(FUZZ_CXX) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -o $@ $(UNIT_UNITY_OBJ) build/fuzz/libvigil.a $(LDLIBS) -lgtest -lgtest_main -pthread

# Small programs the tests drive vigil with (tests/tools/NAME.cpp → build/tests/NAME).
TOOLS := $(patsubst tests/tools/%.cpp,build/tests/%,$(wildcard tests/tools/*.cpp))
build/tests/%: tests/tools/%.cpp $(wildcard tests/tools/*.hpp)
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	@$(CXX) $(CXXSTD) $(WARN) -I. -O1 -o $@ $<

# Programs exec verification's tests run in containers (tests/exec/*.c → build/tests/exec/),
# each built to be told apart by one property: see tests/integration/exec_verify.bats.
EXEC_DIR   := build/tests/exec
EXEC_CC    := gcc -O1 -Wall -Wextra -Werror
EXEC_PROGS := $(addprefix $(EXEC_DIR)/,pie nopie denied static execstack marker dlopen spawn wx fileless race \
              newcalls exit42 debug alloc abstract files libplain.so libexecstack.so) $(EXEC_DIR)/elf32
$(EXEC_DIR)/pie $(EXEC_DIR)/denied: tests/exec/hello.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -fPIE -pie -DNAME='"$(@F)"' -o $@ $<
$(EXEC_DIR)/nopie: tests/exec/hello.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -fno-PIE -no-pie -DNAME='"$(@F)"' -o $@ $<
$(EXEC_DIR)/static: tests/exec/hello.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -static -DNAME='"$(@F)"' -o $@ $<
$(EXEC_DIR)/execstack: tests/exec/hello.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -static -z execstack -DNAME='"$(@F)"' -o $@ $<
# The race's denied binary.
$(EXEC_DIR)/marker: tests/exec/hello.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -static -DNAME='"MARKER"' -DSTATUS=42 -o $@ $<
# 32-bit needs gcc-multilib; without it the tests that need this program skip, with the
# reason in elf32.skip.
$(EXEC_DIR)/elf32: tests/exec/hello.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@rm -f $@.skip; $(EXEC_CC) -m32 -static -DNAME='"$(@F)"' -o $@ $< 2>$@.skip && rm -f $@.skip || \
	  { echo "  (no 32-bit program: $$(head -1 $@.skip))"; rm -f $@; }
$(EXEC_DIR)/dlopen $(EXEC_DIR)/spawn: $(EXEC_DIR)/%: tests/exec/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -fPIE -pie -o $@ $<
$(EXEC_DIR)/wx $(EXEC_DIR)/fileless: $(EXEC_DIR)/%: tests/exec/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -static -o $@ $<
# seccomp.bats' programs: calls newer than old profiles, and a program of one system call.
$(EXEC_DIR)/newcalls: tests/exec/newcalls.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -static -pthread -o $@ $<
$(EXEC_DIR)/exit42: tests/exec/exit42.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -static -nostdlib -o $@ $<
$(EXEC_DIR)/race $(EXEC_DIR)/debug $(EXEC_DIR)/alloc $(EXEC_DIR)/abstract $(EXEC_DIR)/files: $(EXEC_DIR)/%: tests/exec/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -static -pthread -o $@ $<
$(EXEC_DIR)/libplain.so: tests/exec/lib.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -shared -fPIC -o $@ $<
$(EXEC_DIR)/libexecstack.so: tests/exec/lib.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(EXEC_CC) -shared -fPIC -z execstack -o $@ $<

# Fuzzing (tests/fuzz/NAME.cpp → build/fuzz/NAME): libFuzzer targets over every parser of
# input someone else controls, built by clang with ASan+UBSan against an archive of the
# library built the same way (each target pulls only what it uses; the unit tests link it too). tests/fuzz/run
# runs them: make check for a few seconds each over their corpora, make fuzz longer.
FUZZ_CXX     := clang++
FUZZ_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O0 -g1
FUZZ_TARGETS := $(patsubst tests/fuzz/%.cpp,build/fuzz/%,$(wildcard tests/fuzz/*.cpp))
FUZZ_SECONDS ?= 60
# A precompiled header (runtime/base/precompiled.hpp says what it holds) for clang's build;
# GCC's -O2 build gained nothing measurable from one.
PCH_SRC      := runtime/base/precompiled.hpp
build/fuzz/obj/precompiled.hpp.pch: $(PCH_SRC)
	@mkdir -p $(dir $@)
	@echo "  PCH     $< (fuzz)"
	@$(FUZZ_CXX) $(CXXSTD) $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -x c++-header -o $@ $<
build/fuzz/obj/lib_%.o: $(UNITY_DIR)/lib_%.cpp build/fuzz/obj/precompiled.hpp.pch
	@echo "  CXX     $(call unity_what,lib_$*) (fuzz)"
	@$(FUZZ_CXX) $(CXXSTD) $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -include-pch build/fuzz/obj/precompiled.hpp.pch -c -o $@ $<
# The tests themselves need no fuzzing coverage.
build/fuzz/obj/tests/unit/precompiled.hpp.pch: tests/unit/precompiled.hpp $(PCH_SRC)
	@mkdir -p $(dir $@)
	@echo "  PCH     $< (fuzz)"
	@$(FUZZ_CXX) $(CXXSTD) $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -x c++-header -o $@ $<
build/fuzz/obj/unit_%.o: $(UNITY_DIR)/unit_%.cpp build/fuzz/obj/tests/unit/precompiled.hpp.pch
	@echo "  CXX     tests/unit/[$*]*.cpp (fuzz)"
	@$(FUZZ_CXX) $(CXXSTD) $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -include-pch build/fuzz/obj/tests/unit/precompiled.hpp.pch -c -o $@ $<
build/fuzz/libvigil.a: $(LIB_UNITY_OBJ)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.cpp build/fuzz/libvigil.a
	@echo "  CXX     $< (fuzz)"
	@$(FUZZ_CXX) $(CXXSTD) $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libvigil.a $(LDLIBS)

# The CRI's Python stubs, for the Kubernetes client suite (from Debian's containerd sources).
CRI_STUBS := build/tests/cri/api_pb2.py
$(CRI_STUBS): tests/clients/cri/gen-stubs.sh
	@echo "  GEN     $@"
	@tests/clients/cri/gen-stubs.sh $(dir $@)

deps:
	@tests/install-packages $(DEPS)

# The demo bundle: Debian's static busybox with a link per applet.
build/demo/rootfs/bin/busybox: /bin/busybox
	rm -rf build/demo && mkdir -p build/demo/rootfs/bin build/demo/rootfs/proc build/demo/rootfs/sys \
	  build/demo/rootfs/dev build/demo/rootfs/etc build/demo/rootfs/tmp build/demo/rootfs/root
	cp /bin/busybox build/demo/rootfs/bin/busybox
	for a in $$(/bin/busybox --list); do [ -e build/demo/rootfs/bin/$$a ] || ln -s busybox build/demo/rootfs/bin/$$a; done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > build/demo/rootfs/etc/passwd
	printf 'root:x:0:\nnogroup:x:65534:\n' > build/demo/rootfs/etc/group
/bin/busybox:
	@tests/install-packages busybox-static

# deps first, then the build in parallel: the compilers need the headers deps installs.
demo: deps
	@$(MAKE) --no-print-directory build/vigil build/tests/jsonedit build/demo/rootfs/bin/busybox
	@tests/demo.sh

# tests/run-all.sh builds check-build first, while the Debian tree and the guest image it
# needs later are made in the background.
check: deps
	@tests/run-all.sh

check-build: build/vigil build/unit-tests $(TOOLS) $(EXEC_PROGS) $(CRI_STUBS) $(FUZZ_TARGETS) build/demo/rootfs/bin/busybox

unit: build/unit-tests
	build/unit-tests

integration: build/vigil $(TOOLS) $(EXEC_PROGS) build/demo/rootfs/bin/busybox
	bats tests/integration

clients: build/vigil $(TOOLS) $(CRI_STUBS) build/demo/rootfs/bin/busybox
	bats tests/clients

# The Debian workloads (apt-get, Python, a C build) under learnt and shipped policies.
workloads: build/vigil $(TOOLS) build/demo/rootfs/bin/busybox
	tests/debian-tree build/debian $$(cat tests/workloads/debian-packages)
	bats tests/workloads

# The suite of a modern host (systemd, cgroup v2 alone), in a qemu guest (tests/guest/README.md).
# The whole guest suite (tests/guest/README.md); make check runs its core where the guest is emulated.
guest: deps
	@$(MAKE) --no-print-directory build/vigil $(TOOLS) $(EXEC_PROGS) $(CRI_STUBS) build/demo/rootfs/bin/busybox
	tests/guest/run

fuzz: deps
	@$(MAKE) --no-print-directory build/vigil $(FUZZ_TARGETS)
	@tests/fuzz/run $(FUZZ_SECONDS)

bench: deps
	@tests/install-packages $(BENCH_DEPS)
	@$(MAKE) --no-print-directory build/vigil build/tests/jsonedit build/demo/rootfs/bin/busybox
	@tests/bench/run.sh

install: build/vigil
	install -D -m 0755 build/vigil $(DESTDIR)/usr/local/bin/vigil
	install -D -m 0644 docs/vigil.8 $(DESTDIR)/usr/local/share/man/man8/vigil.8
	install -d -m 0755 $(DESTDIR)/etc/vigil $(DESTDIR)/etc/vigil/policies
	install -m 0644 contrib/policies/*.json $(DESTDIR)/etc/vigil/policies/

uninstall:
	rm -f $(DESTDIR)/usr/local/bin/vigil $(DESTDIR)/usr/local/share/man/man8/vigil.8
	for p in contrib/policies/*.json; do rm -f $(DESTDIR)/etc/vigil/policies/$${p##*/}; done
	-rmdir $(DESTDIR)/etc/vigil/policies $(DESTDIR)/etc/vigil

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(LIB_UNITY_OBJ:.o=.d) $(UNIT_UNITY_OBJ:.o=.d) $(FUZZ_TARGETS:=.d) $(INCLUDE_CHECKS:.ok=.d)
