// Notification rules as data (datasets/regulations/*.yaml, docs/obligations.md): which exposed categories,
// about subjects in which jurisdictions, oblige whom to notify whom, by when. query/obligations evaluates
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/taxonomy.h"

namespace blastmap::core {

// One group of a rule's condition, met by one exposed category that (a) matches one of `categories` along
// the hierarchy (it, an ancestor or a descendant), when `categories` is not empty, and (b) carries one of
// `flags` or is at least `min_sensitivity`, when either is given. An empty group is met by any category.
struct CategoryCondition {
  std::vector<std::string> categories;
  uint32_t flags = 0;  // a Flag bit set
  std::optional<Sensitivity> min_sensitivity;
};

// One way a rule can be triggered: every group of `all` is met by the exposed categories of one subject.
struct RuleTrigger {
  std::string name;  // shown as the reason, e.g. "name together with a government id"
  std::vector<CategoryCondition> all;
};

// A notification duty. It fires when, for one kind of data subject, one of `triggers` is met by that
// subject's exposed categories, the subject lives in one of `jurisdictions` (any when empty), and at least
// `min_records` records are affected.
struct NotificationRule {
  std::string id;                         // unique, e.g. gdpr-art33
  std::string regulation;                 // e.g. GDPR, HIPAA, California Civ. Code 1798.82
  std::string duty;                       // what must be done, e.g. "Notify the supervisory authority"
  std::string notify;                     // whom, e.g. "the lead supervisory authority"
  std::string owed_by;                    // who owes it: "controller", "covered entity", "merchant"...
  std::optional<int64_t> deadline_hours;  // hours from discovery; unset: no fixed window
  std::string deadline;                   // the deadline in the law's words
  std::vector<std::string> jurisdictions;
  std::vector<RuleTrigger> triggers;
  int64_t min_records = 0;
  std::string applies_if;  // what blastmap cannot check (e.g. "you are a HIPAA covered entity")
  std::string note;
  std::string citation;              // article or section
  std::vector<std::string> sources;  // URLs (citations, never fetched)
  Provenance where;
};

// Whether a subject's jurisdiction `subject` falls under a rule's jurisdiction `rule`: equal, or a
// subdivision of it ("US-CA" under "US"; "EU" is also matched by "EEA").
bool JurisdictionWithin(const std::string& subject, const std::string& rule);
// Whether `subject` is a country-level jurisdiction that may contain `rule`, a subdivision of it ("US" may
// contain residents of "US-NY"): the rule then applies possibly.
bool JurisdictionMayContain(const std::string& subject, const std::string& rule);

}  // namespace blastmap::core
