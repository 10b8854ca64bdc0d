// The access paths of a brief, rebuilt from its compact tree (CompromisedNode::hop/parent, see
// query/blast_result.h): every renderer, report and table that shows a path calls these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "query/blast_result.h"

namespace blastmap::query {

// Access edge r.hops[hop] (a CompromisedNode::hop or pivot), read through r.source (Graph::access: from the
// model, or from the store for a lean graph): the one place a brief reads its access edges.
AccessHop AccessAt(const BlastResult& r, int32_t hop);
// The access edges from a seed to r.compromised[i], seed first; empty for a seed.
std::vector<AccessHop> HopsOf(const BlastResult& r, size_t i);
// Their indices into the model's accesses (Graph::access reads one), seed first.
std::vector<uint32_t> HopEdgesOf(const BlastResult& r, size_t i);
// The node ids of that path, seed first: the first hop's source, then every hop's target; {id} for a seed.
std::vector<std::string> PathOf(const BlastResult& r, size_t i);
// The number of access edges of that path (HopsOf(r, i).size()).
size_t HopCount(const BlastResult& r, size_t i);

// Before a renderer lists `listed` of r's nodes: a lean graph (core::Graph::lean) reads its whole model first
// when they are more than kReadWholeAbove, since their hops and provenance would otherwise be read one by
// one from the store (about 20 µs each, three times what rendering them takes). The API's briefs (2,000 nodes
// by default) and the command line's capped briefs stay lean; a whole brief of a hub reads the model.
inline constexpr size_t kReadWholeAbove = 5000;
void PrepareToList(const BlastResult& r, size_t listed);

// The ids of the exposed nodes holding `e` (a category of r.exposed), most likely first.
std::vector<std::string> HolderIds(const BlastResult& r, const ExposedCategory& e);
// The id of its most likely holder ("" when none).
std::string FirstHolder(const BlastResult& r, const ExposedCategory& e);

}  // namespace blastmap::query
