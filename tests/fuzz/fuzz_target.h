// The fuzz targets (docs/testing.md): each tests/fuzz/*_fuzz.cc defines one with BLASTMAP_FUZZ_TARGET,
// a function of the input bytes that calls one importer or parser entry point. The same sources build
// into a libFuzzer binary per target (-DBLASTMAP_FUZZ=ON, clang; scripts/fuzz.sh) and into one replay
// program of the normal build that CTest runs over the kept regressions and the seed corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace blastmap::fuzz {

using FuzzFunction = void (*)(const uint8_t* data, size_t size);

// Every target linked into this program, by name.
std::map<std::string, FuzzFunction>& Targets();

struct Registration {
  Registration(const char* name, FuzzFunction function) { Targets()[name] = function; }
};

// Writes `data` to a file of this process named input`extension` (in a private temporary directory) and
// returns its path: for the entry points that read files, as the CLI does.
std::string WriteInput(const uint8_t* data, size_t size, std::string_view extension);

// Imports `data` as one file of `extension` in `format` (as `blastmap import --format FORMAT` would).
// Every outcome but a crash, a sanitizer report or a hang is fine; a failed import must carry a message.
void FuzzImport(const uint8_t* data, size_t size, const char* format, std::string_view extension);

// Aborts (a finding) when `result` is an error without a message: every error must say what is wrong.
template <typename T>
void ExpectMessage(const core::Result<T>& result) {
  if (!result.ok() && result.status().message().empty()) {
    std::fprintf(stderr, "fuzz: an error without a message\n");
    std::abort();
  }
}

}  // namespace blastmap::fuzz

#define BLASTMAP_FUZZ_TARGET(name)                                                       \
  static void FuzzOne_##name(const uint8_t* data, size_t size);                          \
  static const ::blastmap::fuzz::Registration kRegistration_##name(#name, FuzzOne_##name); \
  static void FuzzOne_##name(const uint8_t* data, size_t size)
