#include "query/severity.h"

#include <algorithm>
#include <cmath>

#include "core/graph.h"

namespace blastmap::query {

SeverityScore ComposeSeverity(const core::SeverityWeights& w, double peak, double total, int64_t records,
                              double jurisdiction) {
  SeverityScore s;
  s.data = peak + w.breadth * (total - peak);
  s.volume = 1.0 + w.volume_per_decade * std::log10(1.0 + static_cast<double>(std::max<int64_t>(records, 0)));
  s.jurisdiction = jurisdiction;
  s.score = std::round(s.data * s.volume * s.jurisdiction * 10.0) / 10.0;
  s.level = s.score >= w.critical ? "critical"
            : s.score >= w.high   ? "high"
            : s.score >= w.medium ? "medium"
                                  : "low";
  return s;
}

namespace {

// The score of `exposed` with each category's weight from weight_of(index), and the jurisdiction weight.
template <typename WeightOf>
SeverityScore Score(const std::vector<ExposedCategory>& exposed, const core::SeverityWeights& w,
                    WeightOf weight_of, double jurisdiction) {
  double peak = 0, total = 0;
  int64_t records = 0;
  // The total is summed in taxonomy order (ascending category index), whatever the list's order: the
  // ranking (query/rank_shared.cc), which has the categories but not the brief's order, adds the same
  // doubles in the same order and so gets the same score to the last bit.
  thread_local std::vector<std::pair<int, double>> terms;
  terms.clear();
  for (const auto& e : exposed) {
    double weighted = weight_of(e) * e.likelihood;
    peak = std::max(peak, weighted);
    terms.emplace_back(e.index, weighted);
    records = std::max(records, e.records_max);
  }
  std::sort(terms.begin(), terms.end());
  for (const auto& [index, weighted] : terms) total += weighted;
  return ComposeSeverity(w, peak, total, records, jurisdiction);
}

}  // namespace

SeverityScore ScoreSeverity(const std::vector<ExposedCategory>& exposed, const core::Taxonomy& taxonomy) {
  const core::SeverityWeights& w = taxonomy.severity();
  const double fallback_jurisdiction = DefaultJurisdictionWeight(w);
  double jurisdiction = fallback_jurisdiction;
  // Categories mostly share their subjects: each distinct set is weighed once.
  std::vector<const NameSet*> weighed;
  for (const auto& e : exposed) {
    if (std::any_of(weighed.begin(), weighed.end(), [&](const NameSet* s) { return *s == e.subjects; }))
      continue;
    weighed.push_back(&e.subjects);
    for (const auto& j : e.jurisdictions())
      jurisdiction = std::max(jurisdiction, JurisdictionWeight(w, j, fallback_jurisdiction));
  }
  auto weight_of = [&](const ExposedCategory& e) { return CategoryWeight(w, e.sensitivity, e.flags); };
  return Score(exposed, w, weight_of, jurisdiction);
}

SeverityScore ScoreSeverity(const std::vector<ExposedCategory>& exposed, const core::Graph& g,
                            double jurisdiction) {
  auto weight_of = [&](const ExposedCategory& e) { return g.CategoryWeight(e.index); };
  return Score(exposed, g.taxonomy().severity(), weight_of, jurisdiction);
}

}  // namespace blastmap::query
