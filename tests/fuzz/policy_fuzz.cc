// Fuzzes the reader of review policies (importers/policy_reader.h), which reads a file.
#include "importers/policy_reader.h"
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(policy) {
  blastmap::fuzz::ExpectMessage(blastmap::importers::ReadPolicy(blastmap::fuzz::WriteInput(data, size, ".yaml")));
}
