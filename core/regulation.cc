#include "core/regulation.h"

namespace blastmap::core {

bool JurisdictionWithin(const std::string& subject, const std::string& rule) {
  if (subject == rule) return true;
  if (rule == "EEA" && subject == "EU") return true;
  return subject.size() > rule.size() && subject.compare(0, rule.size(), rule) == 0 &&
         subject[rule.size()] == '-';
}

bool JurisdictionMayContain(const std::string& subject, const std::string& rule) {
  return rule.size() > subject.size() && rule.compare(0, subject.size(), subject) == 0 &&
         rule[subject.size()] == '-';
}

}  // namespace blastmap::core
