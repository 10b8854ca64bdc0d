// A graph's model elements read one at a time, and a lean graph's whole model read on demand (Graph::lean).
#include <atomic>
#include <mutex>

#include "core/element_source.h"
#include "core/graph.h"
#include "core/graph_builder.h"  // Free

namespace blastmap::core {

struct Graph::Whole {
  std::once_flag once;
  std::unique_ptr<const Model> model;  // set once read; never reset
  std::atomic<const Model*> ready{nullptr};
};

namespace {

template <typename T>
T OrThrow(Result<T> read) {
  if (!read.ok()) throw ElementReadError(read.status().message());
  return read.take();
}

}  // namespace

void Graph::MakeLean(std::shared_ptr<const ElementSource> source) {
  source_ = std::move(source);
  whole_ = std::make_shared<Whole>();
  // Freed, not just cleared: the point is the memory.
  Free(model_.flows);
  Free(model_.accesses);
  Free(model_.holdings);
}

bool Graph::whole_read() const { return whole_ && whole_->ready.load(std::memory_order_acquire) != nullptr; }

const Model& Graph::model() const {
  if (!source_) return model_;
  std::call_once(whole_->once, [&] {
    whole_->model = std::make_unique<const Model>(OrThrow(source_->ReadModel()));
    whole_->ready.store(whole_->model.get(), std::memory_order_release);
  });
  return *whole_->model;
}

Flow Graph::flow(uint32_t i) const {
  if (!source_) return model_.flows[i];
  if (const Model* whole = whole_->ready.load(std::memory_order_acquire)) return whole->flows[i];
  return OrThrow(source_->ReadFlow(i));
}

Access Graph::access(uint32_t i) const {
  if (!source_) return model_.accesses[i];
  if (const Model* whole = whole_->ready.load(std::memory_order_acquire)) return whole->accesses[i];
  return OrThrow(source_->ReadAccess(i));
}

Holding Graph::holding(uint32_t i) const {
  if (!source_) return model_.holdings[i];
  if (const Model* whole = whole_->ready.load(std::memory_order_acquire)) return whole->holdings[i];
  return OrThrow(source_->ReadHolding(i));
}

}  // namespace blastmap::core
