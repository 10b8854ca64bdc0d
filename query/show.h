// One node in full: attributes, flows in and out, access edges, what it stores and holds, provenance.
#pragma once

#include <string>
#include <vector>

#include "core/graph.h"

namespace blastmap::query {

struct HeldCategory {
  std::string category;
  core::Sensitivity sensitivity = core::Sensitivity::kInternal;
  std::vector<std::string> flags;
  bool stored = false;  // kept at rest here (not only received)
};

struct NodeDetails {
  core::Node node;
  std::vector<core::Flow> flows_in, flows_out;
  std::vector<core::Access> access_in, access_out;
  std::vector<core::Holding> stores;
  std::vector<HeldCategory> held;  // held(node), most sensitive first
};

NodeDetails DescribeNode(const core::Graph& graph, uint32_t node);

}  // namespace blastmap::query
