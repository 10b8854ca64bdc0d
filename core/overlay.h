// What-if overlays (SPEC §5): a list of edits to a map (remove a node or flow, drop, replace or
// pseudonymise a category on a flow, change or remove access, add nodes and edges) that the query layer
// applies in memory to a copy of a snapshot's model; the store is never written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace blastmap::core {

struct OverlayEdit {
  enum class Kind {
    kRemoveNode,       // node: a vendor or system and every edge and store touching it
    kRemoveFlow,       // from, to (index): flows between two nodes
    kDropCategory,     // from, to (index), category: stop sending one category on those flows
    kReplaceCategory,  // from, to (index), category -> replacement
    kPseudonymise,     // from, to (index), category -> its pseudonymous form
    kRemoveAccess,     // from, to: access edges between two nodes
    kSetLikelihood,    // from, to, likelihood: of the access edges between two nodes
    kAdd,              // added: nodes, stores, flows and access edges (a manifest fragment)
  };
  Kind kind = Kind::kRemoveFlow;
  std::string node;
  std::string from, to;
  int index = 0;  // 0: every flow between from and to; n: the n-th one in declaration order (1-based)
  std::string category, replacement;
  double likelihood = 1.0;
  Model added;  // for kAdd; its taxonomy is unused
  Provenance where;
};
struct Overlay {
  std::vector<OverlayEdit> edits;
};
std::string_view OverlayEditName(OverlayEdit::Kind kind);

}  // namespace blastmap::core
