// JSON and table renderers of the review results: minimise, what-if, diff and check.
#include <nlohmann/json.hpp>

#include "query/render.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

using json = nlohmann::ordered_json;

json Records(int64_t records) { return records < 0 ? json(nullptr) : json(records); }

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
  json out = {{"vendor", r.vendor},       {"goal", r.goal},
              {"forbidden", r.forbidden}, {"achievable", r.achievable},
              {"cuts", cuts},             {"total_cost", r.total_cost},
              {"blockers", r.blockers},   {"verified", r.verified}};
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
                     Number(r.total_cost, "%.0f") + ")",
                 color);
  TextTable table({"FLOW", "CATEGORY", "PURPOSE", "RECORDS", "COST", "DECLARED AT"});
  for (const auto& c : r.cuts) {
    table.AddRow({c.from + " -> " + c.to + (c.forward ? " (*)" : ""), c.category, c.purpose, FormatCount(c.records),
                  Number(c.cost, "%.0f"), c.where.ToString()});
  }
  out += table.Render(color);
  out += std::string("  Verified: ") +
         (r.verified ? "with these cuts the compromise exposes nothing the goal forbids.\n"
                     : "NOT verified: recomputing the blast radius with the cuts still exposes forbidden data.\n");
  return out;
}

}  // namespace blastmap::query
