# The two set-up commands of the README, and a few helpers.
#   make demo   installs what is missing, builds a Release binary, imports the sample company, prints
#               the incident brief for "Mixpanel is compromised", then serves the web explorer on
#               http://127.0.0.1:$(PORT)/ until Ctrl-C.
#   make test   installs what is missing, builds every target once under AddressSanitizer and
#               UndefinedBehaviorSanitizer (-O1 -g1, in build-test/, apart from the Release build of make
#               demo; as unity batches of 8 files, which halves the build) and runs the whole CTest suite
#               there, $(JOBS) tests at a time; any sanitizer report fails the run.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
TEST_BUILD ?= build-test
CCACHE := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Leaks are reported too; a UBSan finding stops the process with a stack (-fno-sanitize-recover=all).
export ASAN_OPTIONS ?= detect_leaks=1:check_initialization_order=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
DB ?= blastmap.db
PORT ?= 8080

.PHONY: demo test build deps format clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CCACHE) > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/blastmap import datasets/acme-ai --db $(DB)
	$(BUILD)/blastmap blast mixpanel --db $(DB)
	@echo
	@echo "Open http://127.0.0.1:$(PORT)/#node=mixpanel&seed=mixpanel to explore the map (Ctrl-C stops the server)."
	$(BUILD)/blastmap serve --db $(DB) --port $(PORT) --quiet

test: deps
	@cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
	  -DBLASTMAP_SANITIZE=ON -DCMAKE_UNITY_BUILD=ON $(CCACHE) > /dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(TEST_BUILD) build-fuzz
