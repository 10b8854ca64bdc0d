// libFuzzer's entry point for a binary built from exactly one target file (-DBLASTMAP_FUZZ=ON).
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const blastmap::fuzz::FuzzFunction target = [] {
    if (blastmap::fuzz::Targets().size() != 1) {
      std::fprintf(stderr, "fuzz: a fuzz binary holds exactly one target\n");
      std::abort();
    }
    return blastmap::fuzz::Targets().begin()->second;
  }();
  target(data, size);
  return 0;
}
