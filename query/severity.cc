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

SeverityScore ScoreSeverity(const std::vector<ExposedCategory>& exposed, const core::Taxonomy& taxonomy) {
  const core::SeverityWeights& w = taxonomy.severity();
  SeverityScore s;
  double peak = 0, total = 0;
  int64_t records = 0;
  double jurisdiction = Lookup(w.jurisdictions, "default", 1.0);
  const double fallback_jurisdiction = jurisdiction;
  for (const auto& e : exposed) {
    double weight = Lookup(w.sensitivity, std::string(core::SensitivityName(e.sensitivity)), 0);
    for (const auto& flag : e.flags) weight += Lookup(w.flags, flag, 0);
    double weighted = weight * e.likelihood;
    peak = std::max(peak, weighted);
    total += weighted;
    records = std::max(records, e.records_max);
    for (const auto& j : e.jurisdictions) {
      jurisdiction = std::max(jurisdiction, Lookup(w.jurisdictions, j, fallback_jurisdiction));
    }
  }
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

}  // namespace blastmap::query
