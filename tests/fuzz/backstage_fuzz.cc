// Fuzzes the import of one yaml file read as backstage, through importers::ImportPath.
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(backstage) { blastmap::fuzz::FuzzImport(data, size, "backstage", ".yaml"); }
