#include "query/severity.h"

#include <algorithm>
#include <cmath>

namespace blastmap::query {
namespace {

double Lookup(const std::map<std::string, double>& weights, const std::string& key, double fallback) {
  auto it = weights.find(key);
  return it == weights.end() ? fallback : it->second;
}

}  // namespace

double CategoryWeight(const core::SeverityWeights& w, core::Sensitivity sensitivity,
                      const core::SymbolList& flags) {
  double weight = Lookup(w.sensitivity, std::string(core::SensitivityName(sensitivity)), 0);
  for (const core::Symbol& flag : flags) weight += Lookup(w.flags, flag.str(), 0);
  return weight;
}

double JurisdictionWeight(const core::SeverityWeights& w, const std::string& jurisdiction, double fallback) {
  return Lookup(w.jurisdictions, jurisdiction, fallback);
}

double DefaultJurisdictionWeight(const core::SeverityWeights& w) { return Lookup(w.jurisdictions, "default", 1.0); }

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

SeverityScore ScoreSeverity(const std::vector<ExposedCategory>& exposed, const core::Taxonomy& taxonomy) {
  const core::SeverityWeights& w = taxonomy.severity();
  double peak = 0, total = 0;
  int64_t records = 0;
  double jurisdiction = DefaultJurisdictionWeight(w);
  const double fallback_jurisdiction = jurisdiction;
  // The total is summed in taxonomy order (ascending category index), whatever the list's order: the
  // ranking (query/rank_shared.cc), which has the categories but not the brief's order, adds the same
  // doubles in the same order and so gets the same score to the last bit.
  thread_local std::vector<std::pair<int, double>> terms;
  terms.clear();
  thread_local std::vector<core::SymbolList> weighed;
  weighed.clear();
  for (const auto& e : exposed) {
    double weighted = CategoryWeight(w, e.sensitivity, e.flags) * e.likelihood;
    peak = std::max(peak, weighted);
    terms.emplace_back(e.index, weighted);
    records = std::max(records, e.records_max);
    // Categories mostly share their lists (interned): each distinct list is weighed once.
    if (std::find(weighed.begin(), weighed.end(), e.jurisdictions) != weighed.end()) continue;
    weighed.push_back(e.jurisdictions);
    for (const auto& j : e.jurisdictions) {
      jurisdiction = std::max(jurisdiction, JurisdictionWeight(w, j, fallback_jurisdiction));
    }
  }
  std::sort(terms.begin(), terms.end());
  for (const auto& [index, weighted] : terms) total += weighted;
  return ComposeSeverity(w, peak, total, records, jurisdiction);
}

}  // namespace blastmap::query
