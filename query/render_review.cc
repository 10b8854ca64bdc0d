// JSON and table renderers of the review results: minimise, what-if, diff and check.
#include <map>
#include <nlohmann/json.hpp>

#include "query/render.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

using json = nlohmann::ordered_json;

json Records(int64_t records) { return records < 0 ? json(nullptr) : json(records); }

// A manifest path as a SARIF artifactLocation.uri, which must be an RFC 3986 URI reference: every byte but
// unreserved characters and '/' is percent-encoded ("my maps/a.yaml" -> "my%20maps/a.yaml").
std::string UriReference(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string MinimiseToJson(const MinimiseResult& r) {
  json cuts = json::array();
  for (const auto& c : r.cuts) {
    cuts.push_back({{"from", c.from},
                    {"to", c.to},
                    {"category", c.category},
                    {"forward", c.forward},
                    {"purpose", c.purpose},
                    {"records", Records(c.records)},
                    {"cost", c.cost},
                    {"where", c.where.ToString()}});
  }
  json out = {{"vendor", r.vendor},         {"goal", r.goal},        {"forbidden", r.forbidden},
              {"achievable", r.achievable}, {"cuts", cuts},          {"total_cost", r.total_cost},
              {"blockers", r.blockers},     {"verified", r.verified}};
  return out.dump(2) + "\n";
}

std::string MinimiseToTable(const MinimiseResult& r, bool color) {
  std::string out = "Minimise the blast radius of " + r.vendor + " to reach: " + TerminalSafe(r.goal) + "\n";
  if (r.forbidden.empty()) return out + "  The goal already holds: nothing it forbids is exposed.\n";
  out += "  Exposed now and forbidden: " + Join(r.forbidden, ", ") + "\n";
  if (!r.achievable) {
    out += Heading("The goal cannot be met", color);
    for (const auto& b : r.blockers) out += "  " + TerminalSafe(b) + "\n";
    out += "  (data kept at rest on an exposed node, and flows marked required: true, are never cut)\n";
    return out;
  }
  out += Heading(std::to_string(r.cuts.size()) + " cut" + (r.cuts.size() == 1 ? "" : "s") + " (total cost " +
                     FormatCount(static_cast<int64_t>(r.total_cost)) + ")",
                 color);
  TextTable table({"FLOW", "CATEGORY", "PURPOSE", "RECORDS", "COST", "DECLARED AT"});
  for (const auto& c : r.cuts) {
    table.AddRow({c.from + " -> " + c.to + (c.forward ? " (*)" : ""), c.category, c.purpose,
                  FormatCount(c.records), FormatCount(static_cast<int64_t>(c.cost)), c.where.ToString()});
  }
  out += table.Render(color);
  out += std::string("  Verified: ") +
         (r.verified
              ? "with these cuts the compromise exposes nothing the goal forbids.\n"
              : "NOT verified: recomputing the blast radius with the cuts still exposes forbidden data.\n");
  return out;
}

}  // namespace blastmap::query

namespace blastmap::query {

std::string DiffToJson(const DiffResult& r, const std::vector<std::string>& gate_failures) {
  json changes = json::array();
  for (const auto& c : r.changes) {
    changes.push_back({{"change", ChangeKindName(c.kind)},
                       {"element", c.element},
                       {"key", c.key},
                       {"detail", c.detail},
                       {"where", c.where.ToString()}});
  }
  json vendors = json::array();
  for (const auto& v : r.vendors) {
    vendors.push_back(
        {{"id", v.id},
         {"added", v.added},
         {"removed", v.removed},
         {"severity_before", v.level_before.empty()
                                 ? json(nullptr)
                                 : json({{"score", v.score_before}, {"level", v.level_before}})},
         {"severity_after",
          v.level_after.empty() ? json(nullptr) : json({{"score", v.score_after}, {"level", v.level_after}})},
         {"newly_exposed", v.newly_exposed},
         {"no_longer_exposed", v.no_longer_exposed},
         {"new_restricted", v.new_restricted}});
  }
  json out = {{"before", r.before},
              {"after", r.after},
              {"changes", changes},
              {"vendors", vendors},
              {"gate_failures", gate_failures}};
  return out.dump(2) + "\n";
}

std::string DiffToTable(const DiffResult& r, const std::vector<std::string>& gate_failures, bool color) {
  std::string out = "Diff " + TerminalSafe(r.before) + " -> " + TerminalSafe(r.after) + ": " +
                    std::to_string(r.changes.size()) + " change(s), " + std::to_string(r.vendors.size()) +
                    " vendor blast radius(es) changed\n";
  if (!r.changes.empty()) {
    out += Heading("Changes to the map", color);
    TextTable t({"CHANGE", "ELEMENT", "KEY", "DETAIL", "WHERE"});
    for (const auto& c : r.changes) {
      t.AddRow({std::string(ChangeKindName(c.kind)), c.element, TerminalSafe(c.key), TerminalSafe(c.detail),
                c.where.ToString()});
    }
    out += t.Render(color);
  }
  if (!r.vendors.empty()) {
    out += Heading("Vendor blast-radius deltas", color);
    TextTable t({"VENDOR", "SEVERITY", "NEWLY EXPOSED", "NO LONGER EXPOSED"});
    for (const auto& v : r.vendors) {
      std::string before = v.added ? "(new)" : Number(v.score_before) + " " + v.level_before;
      std::string after = v.removed ? "(removed)" : Number(v.score_after) + " " + v.level_after;
      t.AddRow({v.id, before + " -> " + after, Join(v.newly_exposed, ", ", 4),
                Join(v.no_longer_exposed, ", ", 4)});
    }
    out += t.Render(color);
  }
  if (!gate_failures.empty()) {
    out += Heading("Gate failed", color);
    for (const auto& f : gate_failures) out += "  " + TerminalSafe(f) + "\n";
  }
  return out;
}

}  // namespace blastmap::query

namespace blastmap::query {

namespace {

json Location(const core::Provenance& at) {
  json region = {{"startLine", std::max(at.line, 1)}};
  if (at.col > 0) region["startColumn"] = at.col;
  return {{"physicalLocation", {{"artifactLocation", {{"uri", UriReference(at.file)}}}, {"region", region}}}};
}

json FidesJson(const FidesMatch& f) {
  json out = {{"policy", f.policy},
              {"rule", f.rule},
              {"system", f.system},
              {"declaration", f.declaration},
              {"data_categories", f.categories},
              {"data_uses", f.uses},
              {"data_subjects", f.subjects},
              {"rule_file", f.rule_at.file},
              {"rule_line", f.rule_at.line},
              {"rule_column", f.rule_at.col}};
  if (!f.dataset.empty()) {
    out["dataset"] = f.dataset;
    out["dataset_file"] = f.data_at.file;
    out["dataset_line"] = f.data_at.line;
  }
  return out;
}

}  // namespace

std::string CheckToJson(const CheckResult& r) {
  json violations = json::array();
  for (const auto& v : r.violations) {
    json one = {{"rule", v.rule},       {"level", v.level},     {"message", v.message},
                {"file", v.where.file}, {"line", v.where.line}, {"column", v.where.col}};
    if (v.fides) one["fides"] = FidesJson(*v.fides);
    violations.push_back(std::move(one));
  }
  json out = {{"policy", r.policy_file},
              {"rules", r.rules.size()},
              {"errors", r.errors()},
              {"violations", violations}};
  return out.dump(2) + "\n";
}

std::string CheckToTable(const CheckResult& r, bool color) {
  std::string out;
  for (const auto& v : r.violations) {
    const char* c = v.level == "error" ? kRed : v.level == "warning" ? kYellow : "";
    out += v.where.ToString() + ": " + (color && *c ? c : "") + v.level + (color && *c ? "\033[0m" : "") +
           ": " + TerminalSafe(v.message) + " [" + v.rule + "]\n";
  }
  out += std::to_string(r.rules.size()) + " rule(s) from " + r.policy_file + ": " +
         std::to_string(r.violations.size()) + " violation(s), " + std::to_string(r.errors()) + " error(s)\n";
  return out;
}

std::string CheckToSarif(const CheckResult& r, const std::string& version) {
  json rules = json::array();
  std::map<std::string, size_t> index;
  for (const auto& rule : r.rules) {
    index[rule.id] = rules.size();
    rules.push_back({{"id", rule.id},
                     {"shortDescription", {{"text", rule.description.empty() ? rule.id : rule.description}}},
                     {"defaultConfiguration", {{"level", rule.level}}}});
  }
  json results = json::array();
  for (const auto& v : r.violations) {
    json result = {{"ruleId", v.rule},
                   {"ruleIndex", index[v.rule]},
                   {"level", v.level},
                   {"message", {{"text", v.message}}},
                   {"locations", json::array({Location(v.where)})}};
    if (v.fides) {
      // The rule in its policy file, and the dataset level whose categories matched.
      json related = json::array();
      json rule = Location(v.fides->rule_at);
      rule["id"] = 0;
      rule["message"] = {{"text", "rule '" + v.fides->rule + "' of Fides policy " + v.fides->policy}};
      related.push_back(std::move(rule));
      if (!v.fides->dataset.empty()) {
        json level = Location(v.fides->data_at);
        level["id"] = 1;
        level["message"] = {{"text", "categories of dataset " + v.fides->dataset}};
        related.push_back(std::move(level));
      }
      result["relatedLocations"] = std::move(related);
      result["properties"] = FidesJson(*v.fides);
    }
    results.push_back(std::move(result));
  }
  json out = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array({{{"tool", {{"driver", {{"name", "blastmap"}, {"version", version}, {"rules", rules}}}}},
                     {"results", results}}})}};
  return out.dump(2) + "\n";
}

}  // namespace blastmap::query
