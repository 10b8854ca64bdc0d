// Fuzzes the query language's parser (query/lang/parser.h): the input as a script and as a lone filter.
#include <string>

#include "query/lang/parser.h"
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(query_lang) {
  std::string text(reinterpret_cast<const char*>(data), size);
  blastmap::fuzz::ExpectMessage(blastmap::query::lang::ParseScript("fuzz.bmq", text));
  blastmap::fuzz::ExpectMessage(blastmap::query::lang::ParseFilter("fuzz.bmq", text));
}
