// Fuzzes the import of one csv file read as csv, through importers::ImportPath.
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(csv) { blastmap::fuzz::FuzzImport(data, size, "csv", ".csv"); }
