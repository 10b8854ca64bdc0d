#include "query/time_window.h"

#include <algorithm>
#include <unordered_set>

namespace blastmap::query {
namespace {

bool ValidDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::string Attr(const core::Node& n, const std::string& key) {
  auto it = n.attrs.find(key);
  return it == n.attrs.end() || it->second.empty() ? std::string() : it->second.front().str();
}

template <typename T, typename Pred>
void EraseIf(std::vector<T>& v, Pred pred) {
  v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
}

}  // namespace

core::Result<core::Model> ModelAt(core::Model model, const std::string& date) {
  if (!ValidDate(date)) return core::Status::Error("--at: expected a date YYYY-MM-DD, found '" + date + "'");
  // ISO dates compare as strings.
  std::unordered_set<std::string> absent, ended;
  for (const auto& n : model.nodes) {
    std::string from = Attr(n, "active_from"), until = Attr(n, "active_until");
    if (!from.empty() && date < from)
      absent.insert(n.id);
    else if (!until.empty() && date > until)
      ended.insert(n.id);
  }
  EraseIf(model.nodes, [&](const core::Node& n) { return absent.count(n.id) > 0; });
  EraseIf(model.holdings, [&](const core::Holding& h) { return absent.count(h.node) > 0; });
  EraseIf(model.flows, [&](const core::Flow& f) {
    if (absent.count(f.from) || absent.count(f.to)) return true;
    if (!f.active_from.empty() && date < f.active_from) return true;
    if (!f.active_until.empty() && date > f.active_until) return true;
    if (ended.count(f.to)) return true;  // nothing is sent to a former vendor any more
    return ended.count(f.from) > 0 && !f.forwards_all;
  });
  EraseIf(model.accesses, [&](const core::Access& a) {
    return absent.count(a.from) || absent.count(a.to) || ended.count(a.from) || ended.count(a.to);
  });
  return model;
}

}  // namespace blastmap::query
