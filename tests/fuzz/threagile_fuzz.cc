// Fuzzes the import of one yaml file read as threagile, through importers::ImportPath.
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(threagile) { blastmap::fuzz::FuzzImport(data, size, "threagile", ".yaml"); }
