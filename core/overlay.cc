#include "core/overlay.h"

namespace blastmap::core {

std::string_view OverlayEditName(OverlayEdit::Kind kind) {
  using Kind = OverlayEdit::Kind;
  switch (kind) {
    case Kind::kRemoveNode: return "remove_node";
    case Kind::kRemoveFlow: return "remove_flow";
    case Kind::kDropCategory: return "drop_category";
    case Kind::kReplaceCategory: return "replace_category";
    case Kind::kPseudonymise: return "pseudonymise";
    case Kind::kRemoveAccess: return "remove_access";
    case Kind::kSetLikelihood: return "set_likelihood";
    case Kind::kAdd: return "add";
  }
  return "";
}

}  // namespace blastmap::core
