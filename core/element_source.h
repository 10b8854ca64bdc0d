// Where a lean graph (core/graph.h, Graph::lean) reads what it does not keep in memory: its flows, accesses
// and holdings, one at a time by position, and its whole model when a query needs all of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/model.h"
#include "core/status.h"

namespace blastmap::core {

class ElementSource {
 public:
  virtual ~ElementSource() = default;
  // The element at position `pos` of its table: its index in the model's vector. Thread-safe.
  virtual Result<Flow> ReadFlow(uint32_t pos) const = 0;
  virtual Result<Access> ReadAccess(uint32_t pos) const = 0;
  virtual Result<Holding> ReadHolding(uint32_t pos) const = 0;
  // The whole model, as Store::LoadSnapshot gives it. Thread-safe.
  virtual Result<Model> ReadModel() const = 0;
};

// The elements of snapshot `snapshot` of the store at `path`, read through read-only connections of their
// own: the first opened here, more (up to `connections`; 0: one per hardware thread, at most 4) when reads
// run at once, all kept for the source's life; each connection serves one read at a time. A snapshot is
// never changed once committed, so what they read is what the graph was built from.
Result<std::shared_ptr<const ElementSource>> StoreElements(const std::string& path, int64_t snapshot,
                                                           size_t connections = 0);

}  // namespace blastmap::core
