#include "query/render.h"
namespace blastmap::query {
std::string BlastToHtml(const BlastResult&, const core::Graph&, const ReplayResult*) { return ""; }
}
