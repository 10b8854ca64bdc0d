#include "query/render.h"
namespace blastmap::query {
std::string BlastToMarkdown(const BlastResult&, const core::Graph&, const ReplayResult*) { return ""; }
}
