#include "query/name_set.h"

#include <algorithm>
#include <bit>
#include <ranges>

#include "core/graph.h"

namespace blastmap::query {

NameSet::NameSet(const core::Graph& graph, Table table, std::span<const uint64_t> bits)
    : graph_(&graph), table_(table), inline_{} {
  Assign(bits);
}

NameSet::NameSet(const core::Graph& graph, Table table) : graph_(&graph), table_(table), inline_{} {
  const size_t words = table == Table::kSubjects ? graph.subject_words() : graph.jurisdiction_words();
  words_ = static_cast<uint32_t>(words);
  if (words_ > kInline) heap_ = new uint64_t[words_]();
}

NameSet NameSet::Of(const core::Graph& graph, Table table, const std::vector<core::Symbol>& names) {
  NameSet out(graph, table);
  const size_t count = table == Table::kSubjects ? graph.subject_count() : graph.jurisdiction_count();
  const auto ids = std::views::iota(size_t{0}, count);
  auto name_of = [&](size_t id) -> const std::string& { return out.Name(id).str(); };
  for (const core::Symbol& name : names) {
    // The tables are sorted by name (core::GraphBuilder::FinishSubjects).
    const auto at = std::ranges::lower_bound(ids, name.str(), {}, name_of);
    if (at == ids.end() || out.Name(*at) != name) continue;
    out.data()[*at / 64] |= uint64_t{1} << (*at % 64);
  }
  return out;
}

NameSet::NameSet(const NameSet& other) : graph_(other.graph_), table_(other.table_), inline_{} {
  Assign(other.bits());
}

NameSet& NameSet::operator=(const NameSet& other) {
  if (this != &other) {
    Release();
    graph_ = other.graph_;
    table_ = other.table_;
    Assign(other.bits());
  }
  return *this;
}

NameSet::NameSet(NameSet&& other) noexcept
    : graph_(other.graph_), words_(other.words_), table_(other.table_), inline_{} {
  if (words_ > kInline) {
    heap_ = other.heap_;
  } else {
    std::copy_n(other.inline_, kInline, inline_);
  }
  other.words_ = 0;
}

NameSet& NameSet::operator=(NameSet&& other) noexcept {
  if (this != &other) {
    Release();
    graph_ = other.graph_;
    table_ = other.table_;
    words_ = other.words_;
    if (words_ > kInline) {
      heap_ = other.heap_;
    } else {
      std::copy_n(other.inline_, kInline, inline_);
    }
    other.words_ = 0;
  }
  return *this;
}

NameSet::~NameSet() { Release(); }

void NameSet::Assign(std::span<const uint64_t> bits) {
  words_ = static_cast<uint32_t>(bits.size());
  if (words_ > kInline) heap_ = new uint64_t[words_];
  std::copy(bits.begin(), bits.end(), data());
}

void NameSet::Release() noexcept {
  if (words_ > kInline) delete[] heap_;
  words_ = 0;
}

size_t NameSet::NextBit(size_t from) const {
  const uint64_t* words = data();
  for (size_t w = from / 64; w < words_; ++w) {
    uint64_t word = words[w];
    if (w == from / 64) word &= ~uint64_t{0} << (from % 64);
    if (word) return w * 64 + static_cast<size_t>(std::countr_zero(word));
  }
  return size_t{words_} * 64;
}

const core::Symbol& NameSet::Name(size_t id) const {
  const auto k = static_cast<uint32_t>(id);
  return table_ == Table::kSubjects ? graph_->SubjectName(k) : graph_->JurisdictionName(k);
}

const core::Symbol& NameSet::const_iterator::operator*() const { return set_->Name(bit_); }

NameSet::const_iterator& NameSet::const_iterator::operator++() {
  bit_ = set_->NextBit(bit_ + 1);
  return *this;
}

size_t NameSet::size() const {
  size_t n = 0;
  for (uint64_t word : bits()) n += static_cast<size_t>(std::popcount(word));
  return n;
}

bool NameSet::empty() const {
  return std::all_of(data(), data() + words_, [](uint64_t word) { return word == 0; });
}

std::vector<core::Symbol> NameSet::vector() const { return std::vector<core::Symbol>(begin(), end()); }

std::vector<std::string> NameSet::strings() const {
  std::vector<std::string> out;
  for (const core::Symbol& name : *this) out.push_back(name.str());
  return out;
}

NameSet NameSet::Jurisdictions() const {
  if (!graph_ || table_ != Table::kSubjects) return NameSet();
  NameSet out(*graph_, Table::kJurisdictions);
  uint64_t* into = out.data();
  ForEachId([&](uint32_t k) {
    const std::span<const uint64_t> own = graph_->SubjectJurisdictions(k);
    for (size_t w = 0; w < out.words_; ++w) into[w] |= own[w];
  });
  return out;
}

void NameSet::Add(const NameSet& other) {
  uint64_t* words = data();
  const std::span<const uint64_t> more = other.bits();
  for (size_t w = 0; w < std::min<size_t>(words_, more.size()); ++w) words[w] |= more[w];
}

bool operator==(const NameSet& a, const NameSet& b) {
  if (a.graph_ == b.graph_ && a.table_ == b.table_ && a.words_ == b.words_)
    return std::equal(a.data(), a.data() + a.words_, b.data());
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace blastmap::query
