#include "query/obligations.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <unordered_map>

#include "query/sort_unique.h"

namespace blastmap::query {
namespace {

// Whether exposed category `e` meets `group` (with no taxonomy index, only by its sensitivity). `keys` are
// the taxonomy indices of the group's categories (-1 for a key the taxonomy lacks).
bool Meets(const core::Taxonomy& t, const core::CategoryCondition& group, const std::vector<int>& keys,
           const ExposedCategory& e) {
  const int index = e.index;
  if (!group.categories.empty()) {
    bool matched = false;
    for (int k : keys) {
      if (k >= 0 && index >= 0 && t.Related(k, index)) matched = true;
    }
    if (!matched) return false;
  }
  if (group.flags == 0 && !group.min_sensitivity) return true;
  uint32_t flags = index >= 0 ? t.at(index).flags : 0;
  if (flags & group.flags) return true;
  return group.min_sensitivity && e.sensitivity >= *group.min_sensitivity;
}

// How a subject's jurisdictions fall under a rule's: 2 certainly, 1 possibly, 0 not at all.
int JurisdictionMatch(const core::SymbolList& subject, const core::NotificationRule& rule,
                      std::vector<std::string>& matched) {
  if (rule.jurisdictions.empty()) return 2;
  int best = 0;
  for (const core::Symbol& s : subject) {
    for (const auto& r : rule.jurisdictions) {
      int m = core::JurisdictionWithin(s, r) ? 2 : core::JurisdictionMayContain(s, r) ? 1 : 0;
      if (m > 0) matched.push_back(s.str());
      best = std::max(best, m);
    }
  }
  return best;
}

// The exposed categories about one subject (the empty id collects categories with no declared subject).
struct SubjectView {
  core::Symbol id;
  core::SymbolList jurisdictions;  // the model's subject's (none for an id the model lacks)
  std::vector<size_t> exposed;     // indices into result.exposed
};

void AddContractual(BlastResult& result) {
  for (const auto& c : result.compromised) {
    // The nodes are most likely first and a seed's likelihood is 1: past those, no seed is left (a big
    // brief has hundreds of thousands of nodes after them).
    if (c.likelihood < 1) break;
    // Only a seed is breached itself; a vendor reached by pivoting is our tenant there, used by the attacker.
    if (c.via != Via::kSeed || c.kind() != core::NodeKind::kVendor) continue;
    const core::Node& node = *c.node;
    auto it = node.attrs.find("notice_hours");
    if (it == node.attrs.end() || it->second.empty()) continue;
    int64_t hours = 0;
    const std::string& text = it->second.front();
    if (std::from_chars(text.data(), text.data() + text.size(), hours).ec != std::errc()) continue;
    Obligation o;
    o.rule = "contract:" + node.id;
    o.regulation = "Contract";
    o.duty = node.name + " must notify us of the breach";
    auto owner = node.attrs.find("owner");
    o.notify = "us" + (owner != node.attrs.end() && !owner->second.empty()
                           ? " (vendor owner " + owner->second.front() + ")"
                           : std::string());
    o.owed_by = node.name;
    o.deadline_hours = hours;
    o.deadline = "within " + text + " hours of its own discovery, per the contract (notice_hours)";
    auto contacts = node.attrs.find("contacts");
    if (contacts != node.attrs.end() && !contacts->second.empty()) {
      std::string list;
      for (const auto& x : contacts->second) list += (list.empty() ? "" : ", ") + x;
      o.note = "Ask the vendor's security contacts (" + list +
               ") for the timeline, the data and the indicators; the clock of most laws runs from our own "
               "awareness, not from their notice.";
    }
    o.citation = "notice_hours of vendor '" + node.id + "'";
    o.triggers = {"compromise of the vendor"};
    o.likelihood = c.likelihood;
    o.where = node.where;
    result.obligations.push_back(std::move(o));
  }
}

}  // namespace

void EvaluateObligations(const core::Graph& g, const std::vector<core::NotificationRule>& rules,
                         BlastResult& result) {
  const core::Model& m = g.resident();
  const core::Taxonomy& t = m.taxonomy;
  // Per subject, found by its interned id (a brief's categories share a few subjects). Their order does not
  // matter: every list an obligation gathers over them is sorted at the end. Only rules read them.
  std::vector<SubjectView> subjects;
  auto view_of = [&](core::Symbol id) -> SubjectView& {
    for (SubjectView& view : subjects) {
      if (view.id == id) return view;
    }
    SubjectView& view = subjects.emplace_back();
    view.id = id;
    if (const core::Subject* s = m.FindSubject(id)) view.jurisdictions = s->jurisdictions;
    return view;
  };
  if (!rules.empty()) {
    for (size_t i = 0; i < result.exposed.size(); ++i) {
      const ExposedCategory& e = result.exposed[i];
      if (e.subjects.empty()) view_of(core::Symbol()).exposed.push_back(i);
      for (const core::Symbol& s : e.subjects) view_of(s).exposed.push_back(i);
    }
  }
  // Where the exposed subjects live, ascending and distinct.
  const NameSet exposed_jurisdictions = ExposedSubjects(g, result.exposed).Jurisdictions();

  // Whether an exposed category meets a trigger's group does not depend on the subject: asked once a brief.
  std::unordered_map<const core::CategoryCondition*, std::vector<uint8_t>> meets;
  auto meets_of = [&](const core::CategoryCondition& group) -> const std::vector<uint8_t>& {
    auto [it, added] = meets.try_emplace(&group);
    if (added) {
      std::vector<int> keys;
      for (const auto& key : group.categories) keys.push_back(t.Index(key));
      it->second.resize(result.exposed.size());
      for (size_t i = 0; i < result.exposed.size(); ++i)
        it->second[i] = Meets(t, group, keys, result.exposed[i]);
    }
    return it->second;
  };
  std::vector<size_t> met_all;  // per rule: the exposed categories met, by index (spelled once at the end)
  for (const auto& rule : rules) {
    Obligation o;
    met_all.clear();
    bool fired = false, certain = false;
    for (const SubjectView& view : subjects) {
      const core::Symbol& id = view.id;
      std::vector<std::string> matched_jurisdictions;
      int where = JurisdictionMatch(view.jurisdictions, rule, matched_jurisdictions);
      if (where == 0) continue;
      for (const auto& trigger : rule.triggers) {
        // Every group needs one category; the combination is as likely as its least likely group.
        std::vector<size_t> met;
        double likelihood = 1;
        int64_t records = core::kUnknownRecords;
        bool all = true;
        for (const auto& group : trigger.all) {
          double best = 0;
          const std::vector<uint8_t>& group_meets = meets_of(group);
          for (size_t i : view.exposed) {
            if (!group_meets[i]) continue;
            met.push_back(i);
            best = std::max(best, result.exposed[i].likelihood);
            records = std::max(records, result.exposed[i].records_max);
          }
          if (best == 0) {
            all = false;
            break;
          }
          likelihood = std::min(likelihood, best);
        }
        if (!all) continue;
        bool maybe = where == 1;
        if (rule.min_records > 0) {
          if (records >= 0 && records < rule.min_records) continue;
          if (records < 0) maybe = true;  // unknown counts: the threshold may be crossed
        }
        fired = true;
        certain = certain || !maybe;
        if (!trigger.name.empty()) o.triggers.push_back(trigger.name);
        met_all.insert(met_all.end(), met.begin(), met.end());
        if (!id.empty()) o.subjects.push_back(id.str());
        o.jurisdictions.insert(o.jurisdictions.end(), matched_jurisdictions.begin(),
                               matched_jurisdictions.end());
        o.records = std::max(o.records, records);
        o.likelihood = std::max(o.likelihood, likelihood);
      }
    }
    if (!fired) continue;
    o.rule = rule.id;
    o.regulation = rule.regulation;
    o.duty = rule.duty;
    o.notify = rule.notify;
    o.owed_by = rule.owed_by;
    o.deadline_hours = rule.deadline_hours;
    o.deadline = rule.deadline;
    o.possible = !certain;
    o.applies_if = rule.applies_if;
    o.note = rule.note;
    o.citation = rule.citation;
    o.sources = rule.sources;
    o.where = rule.where;
    SortUnique(met_all);
    for (size_t i : met_all) o.categories.push_back(result.exposed[i].category());  // distinct categories
    for (auto* v : {&o.triggers, &o.categories, &o.subjects, &o.jurisdictions}) SortUnique(*v);
    result.obligations.push_back(std::move(o));
  }
  AddContractual(result);
  std::stable_sort(result.obligations.begin(), result.obligations.end(), [](const auto& a, const auto& b) {
    int64_t da = a.deadline_hours.value_or(INT64_MAX), db = b.deadline_hours.value_or(INT64_MAX);
    if (da != db) return da < db;
    if (a.possible != b.possible) return !a.possible;
    return a.rule < b.rule;
  });

  // Most briefs give no discovery time: not parsed then (a copy and a scan of the empty text each brief).
  if (auto discovered =
          result.options.discovered.empty() ? std::nullopt : ParseUtc(result.options.discovered)) {
    for (auto& o : result.obligations) {
      if (o.deadline_hours) o.due = FormatUtc(*discovered + *o.deadline_hours * 3600);
    }
  }

  for (const core::Symbol& j : exposed_jurisdictions) {
    bool covered = std::any_of(rules.begin(), rules.end(), [&](const core::NotificationRule& r) {
      return std::any_of(r.jurisdictions.begin(), r.jurisdictions.end(), [&](const std::string& rj) {
        return core::JurisdictionWithin(j, rj) || core::JurisdictionMayContain(j, rj);
      });
    });
    if (!covered) result.jurisdictions_without_rules.push_back(j.str());
  }
}

std::optional<int64_t> ParseUtc(const std::string& text) {
  std::string t = text;
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) t.pop_back();
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char tail = 0;
  int n = std::sscanf(t.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail);
  if (n == 3 && t.size() == 10) {
  } else if (n == 4 && (tail == 'T' || tail == ' ') &&
             (std::sscanf(t.c_str() + 11, "%2d:%2d:%2d", &hour, &minute, &second) >= 2) &&
             (t.size() == 16 || t.size() == 19)) {
  } else {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || hour < 0 ||
      minute < 0 || second < 0) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm));
}

std::string FormatUtc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%MZ", &tm);
  return buf;
}

}  // namespace blastmap::query
