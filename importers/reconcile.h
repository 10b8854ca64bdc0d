// Reconciling the declarations of several formats imported into one snapshot (docs/importers/README.md):
// a node, subject or category declared by two formats is merged when the declarations agree and is an
// error naming both places when they disagree. Internal to the importers layer.
#pragma once

#include <vector>

#include "importers/diagnostics.h"
#include "importers/native_reader.h"
#include "importers/reader.h"

namespace blastmap::importers {

struct SourceDeclarations {
  Format format = Format::kNative;
  NativeDeclarations decls;
};

// Merges `sources` (in import order) into one set of declarations for ResolveNative. Duplicates inside
// one format are left in place (ResolveNative reports them as duplicate ids, as the native format
// always has); implied nodes are dropped when a node of that id exists. Conflicts go to `diag`.
NativeDeclarations Reconcile(std::vector<SourceDeclarations> sources, Diagnostics& diag);

}  // namespace blastmap::importers
