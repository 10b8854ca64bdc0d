// Fuzzes the import of one yaml file read as fides, through importers::ImportPath.
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(fides) { blastmap::fuzz::FuzzImport(data, size, "fides", ".yaml"); }
