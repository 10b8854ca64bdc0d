#include "importers/native_reader.h"

#include <algorithm>
#include <regex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "importers/taxonomy_reader.h"

namespace blastmap::importers {
namespace {

const std::vector<std::string> kTopKeys = {"blastmap", "systems", "vendors", "subjects",
                                           "flows",    "access",  "stores",  "categories"};
const std::vector<std::string> kCommonNodeKeys = {"id",  "name",   "description", "owner", "tags",
                                                  "url", "stores", "flows",       "access"};
const std::vector<std::string> kSystemKeys = {"type", "environment"};
const std::vector<std::string> kVendorKeys = {"role", "country",  "data_locations", "certifications", "dpa",
                                              "tier", "contacts", "notice_hours",   "active"};
const std::vector<std::string> kSystemTypes = {"service", "frontend", "database", "warehouse", "pipeline",
                                               "saas",    "queue",    "storage",  "other"};
const std::regex kNodeId("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$");
constexpr size_t kMaxIdLength = 200;  // as kNodeId

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Reads an optional string field into `out`.
// `out` is a std::string or a core::Symbol.
template <typename S>
void OptString(const Field& m, std::string_view key, Diagnostics& diag, S& out) {
  if (auto f = m.Get(key)) {
    if (auto s = f->String(key, diag)) out = *s;
  }
}

void OptRecords(const Field& m, Diagnostics& diag, int64_t& out) {
  if (auto f = m.Get("records")) {
    if (auto n = f->Integer("records", diag)) {
      if (*n < 0) {
        diag.Error(f->where(), "records: must be 0 or more, found " + std::to_string(*n));
      } else {
        out = *n;
      }
    }
  }
}

void OptList(const Field& m, std::string_view key, Diagnostics& diag, core::SymbolList& out,
             std::vector<core::Provenance>* at = nullptr) {
  if (auto f = m.Get(key)) {
    if (auto list = f->StringList(key, diag, at)) out = core::ToSymbols(*list);
  }
}

// An `active: {from, until}` window of dates; calls `set(bound, date)` for each valid bound given.
template <typename Set>
void ReadActiveWindow(const Field& f, Diagnostics& diag, Set&& set) {
  if (!f.ExpectMap("active", {"from", "until"}, diag)) return;
  std::string bounds[2];
  for (int i = 0; i < 2; ++i) {
    const char* bound = i == 0 ? "from" : "until";
    if (auto b = f.Get(bound)) {
      auto s = b->String(bound, diag);
      if (s && !IsDate(*s)) {
        diag.Error(b->where(),
                   std::string("active.") + bound + ": expected a date YYYY-MM-DD, found '" + *s + "'");
      } else if (s) {
        bounds[i] = *s;
        set(bound, *s);
      }
    }
  }
  if (!bounds[0].empty() && !bounds[1].empty() && bounds[1] < bounds[0])
    diag.Error(f.where(), "active: 'until' (" + bounds[1] + ") is before 'from' (" + bounds[0] + ")");
}

// An endpoint (from/to) of an edge; inside a node exactly one of them is given and the node is the other.
bool ReadEndpoints(const Field& m, std::string_view what, const std::string& owner, Diagnostics& diag,
                   core::Symbol& from, core::Symbol& to, RefPositions& pos) {
  auto f = m.Get("from");
  auto t = m.Get("to");
  if (f) {
    pos.from = f->where();
    from = f->String("from", diag).value_or("");
  }
  if (t) {
    pos.to = t->where();
    to = t->String("to", diag).value_or("");
  }
  if (owner.empty()) {
    if (!f || !t) {
      diag.Error(m.where(), std::string(what) + ": both 'from' and 'to' are required at top level");
      return false;
    }
  } else if (f && t) {
    diag.Error(m.where(),
               std::string(what) + " inside node '" + owner + "' names both 'from' and 'to'; give one");
    return false;
  } else if (!f && !t) {
    diag.Error(m.where(), std::string(what) + " inside node '" + owner + "' needs 'to' (or 'from')");
    return false;
  } else if (f) {
    to = owner;
    pos.to = m.where();
  } else {
    from = owner;
    pos.from = m.where();
  }
  if (f && from.empty() && f->IsScalar()) diag.Error(f->where(), std::string(what) + ": 'from' is empty");
  if (t && to.empty() && t->IsScalar()) diag.Error(t->where(), std::string(what) + ": 'to' is empty");
  return !from.empty() && !to.empty();
}

void ReadHolding(const Field& item, const std::string& owner, Diagnostics& diag, NativeDeclarations& out) {
  core::Holding h;
  RefPositions pos;
  h.where = item.where();
  if (item.IsScalar()) {  // short form: one category key
    h.node = owner;
    h.categories = {core::Symbol(item.node().Scalar())};
    pos.categories.push_back(item.where());
    out.holdings.emplace_back(std::move(h), std::move(pos));
    return;
  }
  std::vector<std::string> keys = {"categories", "subjects", "records"};
  if (owner.empty()) keys.push_back("node");
  if (!item.ExpectMap("stores", keys, diag)) return;
  if (owner.empty()) {
    auto n = item.Get("node");
    if (!n) {
      diag.Error(item.where(), "stores: 'node' is required at top level");
      return;
    }
    pos.to = n->where();
    h.node = n->String("node", diag).value_or("");
  } else {
    h.node = owner;
  }
  if (!item.Get("categories")) diag.Error(item.where(), "stores: 'categories' is required");
  OptList(item, "categories", diag, h.categories, &pos.categories);
  OptList(item, "subjects", diag, h.subjects, &pos.subjects);
  OptRecords(item, diag, h.records);
  out.holdings.emplace_back(std::move(h), std::move(pos));
}

void ReadFlow(const Field& item, const std::string& owner, Diagnostics& diag, NativeDeclarations& out) {
  if (!item.ExpectMap("flow",
                      {"from", "to", "categories", "subjects", "purpose", "records", "transport", "required",
                       "description", "active"},
                      diag)) {
    return;
  }
  core::Flow flow;
  RefPositions pos;
  flow.where = item.where();
  if (!ReadEndpoints(item, "flow", owner, diag, flow.from, flow.to, pos)) return;
  auto cats = item.Get("categories");
  if (!cats) {
    diag.Error(item.where(),
               "flow " + flow.from + " -> " + flow.to + ": 'categories' is required (a list, or \"*\")");
  } else if (cats->IsScalar() && cats->node().Scalar() == "*") {
    flow.forwards_all = true;
  } else if (auto list = cats->StringList("categories", diag, &pos.categories)) {
    flow.categories = core::ToSymbols(*list);
    for (size_t i = 0; i < flow.categories.size(); ++i) {
      if (flow.categories[i] == "*")
        diag.Error(pos.categories[i], "categories: \"*\" stands alone, not in a list");
    }
  }
  OptList(item, "subjects", diag, flow.subjects, &pos.subjects);
  if (auto f = item.Get("purpose")) {
    pos.purpose = f->where();
    flow.purpose = f->String("purpose", diag).value_or("");
  }
  OptRecords(item, diag, flow.records);
  OptString(item, "transport", diag, flow.transport);
  OptString(item, "description", diag, flow.description);
  if (auto f = item.Get("required")) flow.required = f->Boolean("required", diag).value_or(false);
  if (auto f = item.Get("active")) {
    ReadActiveWindow(*f, diag, [&](std::string_view bound, const std::string& date) {
      (bound == "from" ? flow.active_from : flow.active_until) = date;
    });
  }
  out.flows.emplace_back(std::move(flow), std::move(pos));
}

void ReadAccess(const Field& item, const std::string& owner, Diagnostics& diag, NativeDeclarations& out) {
  if (!item.ExpectMap("access", {"from", "to", "privilege", "mechanism", "likelihood", "description"},
                      diag)) {
    return;
  }
  core::Access access;
  RefPositions pos;
  access.where = item.where();
  if (!ReadEndpoints(item, "access", owner, diag, access.from, access.to, pos)) return;
  auto p = item.Get("privilege");
  if (!p) {
    diag.Error(item.where(), "access " + access.from + " -> " + access.to +
                                 ": 'privilege' is required (read, write, admin or code)");
    return;
  }
  auto name = p->String("privilege", diag);
  if (!name) return;
  auto privilege = core::ParsePrivilege(*name);
  if (!privilege) {
    diag.Error(p->where(), "privilege '" + *name + "' is not one of read, write, admin, code" +
                               core::DidYouMean(*name, {"read", "write", "admin", "code"}));
    return;
  }
  access.privilege = *privilege;
  OptString(item, "mechanism", diag, access.mechanism);
  OptString(item, "description", diag, access.description);
  if (auto f = item.Get("likelihood")) {
    if (auto v = f->Number("likelihood", diag)) {
      if (*v <= 0 || *v > 1) {
        diag.Error(f->where(), "likelihood must be in (0, 1], found " + f->node().Scalar());
      } else {
        access.likelihood = *v;
      }
    }
  }
  out.accesses.emplace_back(std::move(access), std::move(pos));
}

void ReadNodeAttributes(const Field& item, core::NodeKind kind, Diagnostics& diag, core::Node& node) {
  for (const auto& [key, at] : MapKeys(item)) {
    if (key == "id" || key == "name" || key == "stores" || key == "flows" || key == "access") continue;
    Field f = *item.Get(key);
    if (key == "tags" || key == "data_locations" || key == "certifications" || key == "contacts") {
      if (auto list = f.StringList(key, diag)) node.attrs[key] = core::ToSymbols(*list);
    } else if (key == "active") {
      ReadActiveWindow(f, diag, [&](std::string_view bound, const std::string& date) {
        node.attrs["active_" + std::string(bound)] = {date};
      });
    } else if (key == "tier" || key == "notice_hours") {
      if (auto n = f.Integer(key, diag)) {
        if (key == "tier" && (*n < 1 || *n > 4)) diag.Error(f.where(), "tier must be 1, 2, 3 or 4");
        if (key == "notice_hours" && *n < 0) diag.Error(f.where(), "notice_hours must be 0 or more");
        node.attrs[key] = {std::to_string(*n)};
      }
    } else if (auto s = f.String(key, diag)) {
      if (key == "dpa" && *s != "yes" && *s != "no" && !IsDate(*s)) {
        diag.Error(f.where(), "dpa: expected yes, no or a date YYYY-MM-DD, found '" + *s + "'");
      }
      if (key == "type" && kind == core::NodeKind::kSystem &&
          std::find(kSystemTypes.begin(), kSystemTypes.end(), *s) == kSystemTypes.end()) {
        diag.Error(f.where(), "type '" + *s + "' is not a system type" + core::DidYouMean(*s, kSystemTypes));
      }
      node.attrs[key] = {*s};
    }
  }
}

void ReadNode(const Field& item, core::NodeKind kind, Diagnostics& diag, NativeDeclarations& out) {
  bool system = kind == core::NodeKind::kSystem;
  std::string what = system ? "system" : "vendor";
  if (!item.ExpectMap(what, Concat(kCommonNodeKeys, system ? kSystemKeys : kVendorKeys), diag)) return;
  auto id_field = item.Get("id");
  if (!id_field) {
    diag.Error(item.where(), what + ": 'id' is required");
    return;
  }
  core::Node node;
  node.kind = kind;
  node.where = id_field->where();
  auto id = id_field->String("id", diag);
  if (!id) return;
  if (!std::regex_match(*id, kNodeId)) {
    diag.Error(id_field->where(),
               what + " id '" + *id +
                   "' must start with a letter or digit and use only letters, digits and . _ : / -");
    return;
  }
  node.id = *id;
  OptString(item, "name", diag, node.name);
  if (node.name.empty()) node.name = node.id;
  ReadNodeAttributes(item, kind, diag, node);
  if (auto f = item.Get("stores")) {
    for (const Field& h : f->Items("stores", diag)) ReadHolding(h, node.id, diag, out);
  }
  if (auto f = item.Get("flows")) {
    for (const Field& fl : f->Items("flows", diag)) ReadFlow(fl, node.id, diag, out);
  }
  if (auto f = item.Get("access")) {
    for (const Field& a : f->Items("access", diag)) ReadAccess(a, node.id, diag, out);
  }
  out.nodes.push_back(std::move(node));
}

void ReadSubject(const Field& item, Diagnostics& diag, NativeDeclarations& out) {
  if (!item.ExpectMap("subject", {"id", "kind", "name", "jurisdictions", "records"}, diag)) return;
  core::Subject s;
  RefPositions pos;
  auto id = item.Get("id");
  if (!id) {
    diag.Error(item.where(), "subject: 'id' is required");
    return;
  }
  s.where = id->where();
  s.id = id->String("id", diag).value_or("");
  if (auto k = item.Get("kind")) {
    pos.kind = k->where();
    s.kind = k->String("kind", diag).value_or("");
  } else {
    diag.Error(item.where(), "subject '" + s.id + "': 'kind' is required (customer, employee, ...)");
  }
  OptString(item, "name", diag, s.name);
  if (s.name.empty()) s.name = s.id;
  OptList(item, "jurisdictions", diag, s.jurisdictions);
  OptRecords(item, diag, s.records);
  if (s.id.empty()) {
    if (id->IsScalar()) diag.Error(id->where(), "subject: 'id' is empty");
    return;
  }
  out.subjects.push_back(std::move(s));
  out.subject_refs.push_back(std::move(pos));
}

// Below this share of the input read, a table grows as a vector does (the estimate would be noise).
constexpr double kMinShareForEstimate = 0.01;

template <typename T>
void GrowAhead(std::vector<T>& rows, size_t adding, double done) {
  const size_t need = rows.size() + adding;
  if (rows.empty() || need <= rows.capacity() || done < kMinShareForEstimate || done > 1) return;
  const auto estimate = static_cast<size_t>(static_cast<double>(need) / done * 1.05);
  rows.reserve(std::max({estimate, need, rows.capacity() + rows.capacity() / 4}));
}

}  // namespace

void ReserveAhead(NativeDeclarations& into, const NativeDeclarations& next, double done) {
  GrowAhead(into.nodes, next.nodes.size(), done);
  GrowAhead(into.holdings, next.holdings.size(), done);
  GrowAhead(into.flows, next.flows.size(), done);
  GrowAhead(into.accesses, next.accesses.size(), done);
}

void AppendDeclarations(NativeDeclarations&& from, NativeDeclarations& into) {
  AppendMoved(from.nodes, into.nodes);
  AppendMoved(from.subjects, into.subjects);
  AppendMoved(from.categories, into.categories);
  AppendMoved(from.category_at, into.category_at);
  AppendMoved(from.holdings, into.holdings);
  AppendMoved(from.flows, into.flows);
  AppendMoved(from.accesses, into.accesses);
  AppendMoved(from.subject_refs, into.subject_refs);
  AppendMoved(from.implied_nodes, into.implied_nodes);
  AppendMoved(from.data_uses, into.data_uses);
  AppendMoved(from.subject_kinds, into.subject_kinds);
  AppendMoved(from.declarations, into.declarations);
  AppendMoved(from.fides_policies, into.fides_policies);
}

bool LooksNative(const YamlNode& doc) {
  if (!doc.IsMap()) return false;
  for (uint32_t i = 0; i < doc.size; ++i) {
    if (!doc.Key(i).IsScalar()) continue;
    std::string_view key = doc.Key(i).text;
    for (const auto& k : kTopKeys) {
      if (k == key) return true;
    }
  }
  return false;
}

void ReadNativeDocument(const Field& root, Diagnostics& diag, NativeDeclarations& out) {
  if (root.node().IsNull()) return;  // an empty document declares nothing
  if (!root.ExpectMap("manifest", kTopKeys, diag)) return;
  if (auto v = root.Get("blastmap")) {
    auto version = v->Integer("blastmap", diag);
    if (version && *version != 1)
      diag.Error(v->where(),
                 "blastmap: format version " + std::to_string(*version) + " is not supported (only 1)");
  }
  if (auto list = root.Get("categories")) {
    for (const Field& item : list->Items("categories", diag)) {
      if (auto c = ReadCategory(item, diag)) {
        out.categories.push_back(std::move(*c));
        out.category_at.push_back(item.Get("key")->where());
      }
    }
  }
  if (auto list = root.Get("subjects")) {
    for (const Field& item : list->Items("subjects", diag)) ReadSubject(item, diag, out);
  }
  if (auto list = root.Get("systems")) {
    for (const Field& item : list->Items("systems", diag)) ReadNode(item, core::NodeKind::kSystem, diag, out);
  }
  if (auto list = root.Get("vendors")) {
    for (const Field& item : list->Items("vendors", diag)) ReadNode(item, core::NodeKind::kVendor, diag, out);
  }
  if (auto list = root.Get("stores")) {
    for (const Field& item : list->Items("stores", diag)) ReadHolding(item, "", diag, out);
  }
  if (auto list = root.Get("flows")) {
    for (const Field& item : list->Items("flows", diag)) ReadFlow(item, "", diag, out);
  }
  if (auto list = root.Get("access")) {
    for (const Field& item : list->Items("access", diag)) ReadAccess(item, "", diag, out);
  }
}

namespace {

class Resolver {
 public:
  // The nodes and subjects added must outlive the Resolver: it keeps views of their ids and places.
  Resolver(const core::Taxonomy& taxonomy, Diagnostics& diag) : taxonomy_(taxonomy), diag_(diag) {}

  void AddNodes(const std::vector<core::Node>& nodes) {
    nodes_.reserve(nodes_.size() + nodes.size());
    for (const auto& n : nodes) {
      // The native reader checks its ids; the other formats make ids of names, which may be any length.
      if (n.id.size() > kMaxIdLength) {
        diag_.Error(n.where, "node id '" + n.id.substr(0, 40) + "...' is " + std::to_string(n.id.size()) +
                                 " characters long; at most " + std::to_string(kMaxIdLength));
        continue;
      }
      auto [it, inserted] = nodes_.emplace(n.id, &n.where);
      if (inserted) {
        node_ids_.push_back(n.id);
      } else {
        diag_.Error(n.where,
                    "duplicate id '" + n.id + "' (first declared at " + it->second->ToString() + ")");
      }
    }
  }

  void AddSubjects(const std::vector<core::Subject>& subjects) {
    for (const auto& s : subjects) {
      auto [it, inserted] = subjects_.emplace(s.id, &s.where);
      if (inserted) {
        subject_ids_.push_back(s.id);
      } else {
        diag_.Error(s.where,
                    "duplicate subject id '" + s.id + "' (first declared at " + it->second->ToString() + ")");
      }
    }
  }

  void Node(const std::string& id, const core::Provenance& at, std::string_view role) {
    if (!nodes_.count(id)) {
      diag_.Error(at, std::string(role) + " '" + id + "' names no known node" +
                          core::DidYouMean(id, Ids(node_ids_, node_names_)));
    }
  }

  void Subjects(const core::SymbolList& ids, const std::vector<core::Provenance>& at) {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!subjects_.count(ids[i])) {
        diag_.Error(at[i], "subject '" + ids[i] + "' is not declared under 'subjects'" +
                               core::DidYouMean(ids[i], Ids(subject_ids_, subject_names_)));
      }
    }
  }

  void Categories(const core::SymbolList& keys, const std::vector<core::Provenance>& at) {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (taxonomy_.Index(keys[i]) >= 0) continue;
      auto near = taxonomy_.SuggestCategories(keys[i], 1);
      diag_.Error(at[i],
                  "unknown category '" + keys[i] + "'" +
                      (near.empty() ? std::string(" (declare it under 'categories' to extend the taxonomy)")
                                    : " (did you mean '" + near.front() + "'?)"));
    }
  }

  void Purpose(const std::string& use, const core::Provenance& at) {
    if (use.empty() || taxonomy_.HasDataUse(use)) return;
    std::vector<std::string> keys;
    for (const auto& u : taxonomy_.data_uses()) keys.push_back(u.key);
    diag_.Error(at, "purpose '" + use + "' is not a known data use" + core::DidYouMean(use, keys));
  }

 private:
  const core::Taxonomy& taxonomy_;
  Diagnostics& diag_;
  // The ids as strings for did-you-mean suggestions, made the first time a reference is wrong.
  static const std::vector<std::string>& Ids(const std::vector<std::string_view>& ids,
                                             std::vector<std::string>& names) {
    if (names.size() != ids.size()) names.assign(ids.begin(), ids.end());
    return names;
  }

  std::unordered_map<std::string_view, const core::Provenance*> nodes_, subjects_;
  std::vector<std::string_view> node_ids_, subject_ids_;  // in declaration order
  std::vector<std::string> node_names_, subject_names_;
};

// Extends `taxonomy` by the declared categories; each parent must exist (in the base or declared).
void ExtendTaxonomy(NativeDeclarations& decls, core::Taxonomy& taxonomy, Diagnostics& diag) {
  std::unordered_map<std::string, core::Provenance> declared;
  for (size_t i = 0; i < decls.categories.size(); ++i) {
    auto [it, inserted] = declared.emplace(decls.categories[i].key, decls.category_at[i]);
    if (!inserted) {
      diag.Error(decls.category_at[i], "duplicate category '" + decls.categories[i].key +
                                           "' (first declared at " + it->second.ToString() + ")");
    }
  }
  for (size_t i = 0; i < decls.categories.size(); ++i) {
    const std::string& key = decls.categories[i].key;
    auto dot = key.rfind('.');
    if (dot == std::string::npos) continue;
    std::string parent = key.substr(0, dot);
    if (taxonomy.Index(parent) < 0 && !declared.count(parent)) {
      auto near = taxonomy.SuggestCategories(parent, 1);
      diag.Error(decls.category_at[i], "category '" + key + "' has no parent category '" + parent + "'" +
                                           (near.empty() ? "" : " (did you mean '" + near.front() + "'?)"));
    }
  }
  if (diag.has_errors()) return;
  for (auto& c : decls.categories) taxonomy.AddCategory(std::move(c));
  if (auto status = taxonomy.Finalize(); !status.ok()) diag.Error({}, status.message());
}

// The rows of `declared` without their positions; `declared` is freed.
template <typename Row>
std::vector<Row> TakeRows(std::vector<std::pair<Row, RefPositions>>& declared) {
  std::vector<Row> rows;
  rows.reserve(declared.size());
  for (auto& [row, pos] : declared) rows.push_back(std::move(row));
  std::vector<std::pair<Row, RefPositions>>().swap(declared);
  return rows;
}

}  // namespace

void ResolveNative(NativeDeclarations decls, core::Taxonomy base, Diagnostics& diag, core::Model& model) {
  for (auto& u : decls.data_uses) {
    if (!base.HasDataUse(u.key)) base.AddDataUse(std::move(u));
  }
  for (auto& k : decls.subject_kinds) {
    if (!base.HasSubjectKind(k.key)) base.AddSubjectKind(std::move(k));
  }
  ExtendTaxonomy(decls, base, diag);
  Resolver resolve(base, diag);
  resolve.AddNodes(decls.nodes);
  resolve.AddNodes(decls.implied_nodes);
  resolve.AddSubjects(decls.subjects);
  std::vector<std::string> kinds;
  for (const auto& k : base.subject_kinds()) kinds.push_back(k.key);
  for (size_t i = 0; i < decls.subjects.size(); ++i) {
    const auto& s = decls.subjects[i];
    if (!s.kind.empty() && !base.HasSubjectKind(s.kind)) {
      diag.Error(decls.subject_refs[i].kind, "subject kind '" + s.kind +
                                                 "' is not a data subject of the taxonomy" +
                                                 core::DidYouMean(s.kind, kinds));
    }
  }
  for (const auto& [h, pos] : decls.holdings) {
    resolve.Node(h.node, pos.to, "stores: node");
    resolve.Categories(h.categories, pos.categories);
    resolve.Subjects(h.subjects, pos.subjects);
  }
  for (const auto& [f, pos] : decls.flows) {
    resolve.Node(f.from, pos.from, "flow from");
    resolve.Node(f.to, pos.to, "flow to");
    if (f.from == f.to) diag.Error(f.where, "flow from '" + f.from + "' to itself (a self-loop)");
    resolve.Categories(f.categories, pos.categories);
    resolve.Subjects(f.subjects, pos.subjects);
    resolve.Purpose(f.purpose, pos.purpose);
  }
  for (const auto& [a, pos] : decls.accesses) {
    resolve.Node(a.from, pos.from, "access from");
    resolve.Node(a.to, pos.to, "access to");
    if (a.from == a.to) diag.Error(a.where, "access from '" + a.from + "' to itself (a self-loop)");
  }
  if (diag.has_errors()) return;
  model.taxonomy = std::move(base);
  model.nodes = std::move(decls.nodes);
  for (auto& n : decls.implied_nodes) model.nodes.push_back(std::move(n));
  model.subjects = std::move(decls.subjects);
  // Table by table, each declared table freed (with its positions) before the next is made.
  model.holdings = TakeRows(decls.holdings);
  model.flows = TakeRows(decls.flows);
  model.accesses = TakeRows(decls.accesses);
  model.declarations = std::move(decls.declarations);
  model.fides_policies = std::move(decls.fides_policies);
}

}  // namespace blastmap::importers
