# The two set-up commands of the README, and a few helpers.
#   make demo   installs what is missing, builds a Release binary, imports the sample company, prints
#               the incident brief for "Mixpanel is compromised", then serves the web explorer on
#               http://127.0.0.1:$(PORT)/ until Ctrl-C.
#   make test   installs what is missing, builds and runs every test.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
DB ?= blastmap.db
PORT ?= 8080

.PHONY: demo test build deps sanitize format clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/blastmap import datasets/acme-ai --db $(DB)
	$(BUILD)/blastmap blast mixpanel --db $(DB)
	@echo
	@echo "Open http://127.0.0.1:$(PORT)/#node=mixpanel&seed=mixpanel to explore the map (Ctrl-C stops the server)."
	$(BUILD)/blastmap serve --db $(DB) --port $(PORT) --quiet

test: build
	cd $(BUILD) && ctest --output-on-failure

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBLASTMAP_SANITIZE=ON > /dev/null
	@cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) build-asan
