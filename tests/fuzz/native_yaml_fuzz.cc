// Fuzzes the import of one yaml file read as native, through importers::ImportPath.
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(native_yaml) { blastmap::fuzz::FuzzImport(data, size, "native", ".yaml"); }
