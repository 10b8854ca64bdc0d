#include "query/lang/evaluator.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "core/text.h"
#include "query/cancel.h"
#include "query/engine.h"
#include "query/lang/row_tables.h"
#include "query/text_table.h"
#include "query/what_if.h"

namespace blastmap::query::lang {

std::string Value::ToString(const std::string& sep) const {
  switch (type) {
    case Type::kNull: return "";
    case Type::kNumber: {
      if (number == std::floor(number) && std::fabs(number) < 1e15) {
        return std::to_string(static_cast<long long>(number));
      }
      std::string s = query::Number(number, "%.4f");
      while (!s.empty() && s.back() == '0') s.pop_back();
      return s;
    }
    case Type::kText: return text;
    case Type::kList: return Join(list, sep);
  }
  return "";
}

int ScaleRank(Value::Scale scale, const std::string& word) {
  static const char* const kSensitivity[] = {"public", "internal", "confidential", "restricted"};
  static const char* const kLevel[] = {"low", "medium", "high", "critical"};
  if (scale == Value::Scale::kNone) return -1;
  const char* const* names = scale == Value::Scale::kSensitivity ? kSensitivity : kLevel;
  for (int i = 0; i < 4; ++i) {
    if (word == names[i]) return i;
  }
  return -1;
}

int Table::Column(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::string At(const std::string& name, Position at) {
  return name + ":" + std::to_string(at.line) + ":" + std::to_string(at.col) + ": ";
}

core::Status UnknownCategory(const core::Taxonomy& t, const std::string& key, const std::string& name,
                             Position at) {
  auto near = t.SuggestCategories(key, 1);
  return core::Status::Error(At(name, at) + "unknown category '" + key + "'" +
                             (near.empty() ? std::string() : " (did you mean '" + near.front() + "'?)"));
}

core::Status UnknownColumn(const Table& table, const std::string& column, const std::string& name,
                           Position at) {
  return core::Status::Error(At(name, at) + "unknown column '" + column + "'" +
                             core::DidYouMean(column, table.columns) +
                             "; columns here: " + Join(table.columns, ", "));
}

// ---- comparisons

// -1, 0, 1; or nullopt when the two cannot be ordered.
std::optional<int> CompareOne(const std::string& cell, Value::Scale scale, const Literal& lit) {
  if (scale != Value::Scale::kNone) {
    int a = ScaleRank(scale, cell), b = ScaleRank(scale, lit.text);
    if (a >= 0 && b >= 0) return (a > b) - (a < b);
  }
  if (lit.kind == Literal::Kind::kNumber) {
    char* end = nullptr;
    double x = std::strtod(cell.c_str(), &end);
    if (cell.empty() || *end != '\0') return std::nullopt;
    return (x > lit.number) - (x < lit.number);
  }
  int c = cell.compare(lit.text);
  return (c > 0) - (c < 0);
}

bool Holds(std::optional<int> c, CompareOp op) {
  if (!c) return op == CompareOp::kNe;
  switch (op) {
    case CompareOp::kEq: return *c == 0;
    case CompareOp::kNe: return *c != 0;
    case CompareOp::kLt: return *c < 0;
    case CompareOp::kLe: return *c <= 0;
    case CompareOp::kGt: return *c > 0;
    case CompareOp::kGe: return *c >= 0;
  }
  return false;
}

bool CompareValue(const Value& v, CompareOp op, const Literal& lit) {
  switch (v.type) {
    case Value::Type::kNull: return op == CompareOp::kNe;
    case Value::Type::kNumber: {
      if (lit.kind == Literal::Kind::kNumber)
        return Holds((v.number > lit.number) - (v.number < lit.number), op);
      char* end = nullptr;
      double x = std::strtod(lit.text.c_str(), &end);
      if (lit.text.empty() || *end != '\0') return op == CompareOp::kNe;
      return Holds((v.number > x) - (v.number < x), op);
    }
    case Value::Type::kText: return Holds(CompareOne(v.text, v.scale, lit), op);
    case Value::Type::kList: {
      // A list matches = when any item does, and != when no item is equal.
      if (op == CompareOp::kNe) {
        return std::none_of(v.list.begin(), v.list.end(), [&](const std::string& s) {
          return Holds(CompareOne(s, v.scale, lit), CompareOp::kEq);
        });
      }
      return std::any_of(v.list.begin(), v.list.end(),
                         [&](const std::string& s) { return Holds(CompareOne(s, v.scale, lit), op); });
    }
  }
  return false;
}

std::vector<std::string> Items(const Value& v) {
  if (v.type == Value::Type::kList) return v.list;
  if (v.type == Value::Type::kText) return {v.text};
  if (v.type == Value::Type::kNumber) return {v.ToString()};
  return {};
}

void CollectColumns(const Expr& e, std::set<std::string>& out) {
  if (!e.column.empty()) out.insert(e.column);
  for (const auto& c : e.children) CollectColumns(*c, out);
}

std::string EdgeLabel(const PathHop& h) {
  return h.access ? "-[" + h.privilege + "]->" : "-[" + Join(h.categories, ", ", 3) + "]->";
}

class Runner {
 public:
  Runner(const Engine& engine, std::string name) : engine_(engine), name_(std::move(name)) {}

  core::Result<Table> Run(const Query& q) {
    auto table = Source(q);
    if (!table.ok()) return table;
    return Tail(q, table.take());
  }

 private:
  const core::Taxonomy& taxonomy() const { return engine_.graph().taxonomy(); }

  core::Result<uint32_t> Node(const std::string& id, Position at) {
    auto v = engine_.Resolve(id);
    if (!v.ok()) return core::Status::Error(At(name_, at) + v.status().message());
    return v;
  }

  core::Result<std::vector<std::string>> Select(const Selector& sel) {
    if (sel.query == nullptr) {
      auto v = Node(sel.id, sel.at);
      if (!v.ok()) return v.status();
      return std::vector<std::string>{sel.id};
    }
    auto t = Run(*sel.query);
    if (!t.ok()) return t.status();
    int id = t.value().Column("id");
    if (id < 0) return core::Status::Error(At(name_, sel.at) + "this selection has no 'id' column");
    std::vector<std::string> ids;
    for (const auto& row : t.value().rows) ids.push_back(row[id].text);
    return ids;
  }

  core::Result<int> Category(const std::string& key, Position at) {
    int c = taxonomy().Index(key);
    if (c < 0) return UnknownCategory(taxonomy(), key, name_, at);
    return c;
  }

  core::Result<Table> Source(const Query& q) {
    switch (q.source) {
      case Query::Source::kNodes: {
        std::set<std::string> used;
        if (q.where) CollectColumns(*q.where, used);
        used.insert(q.order_by);
        used.insert(q.show.begin(), q.show.end());
        bool blast = used.count("severity") || used.count("level") || used.count("exposed") ||
                     used.count("controlled");
        return NodeTable(engine_.graph(), q.kind, blast);
      }
      case Query::Source::kBlast: {
        for (size_t i = 0; i < q.seeds.size(); ++i) {
          auto v = Node(q.seeds[i], q.seed_at[i]);
          if (!v.ok()) return v.status();
        }
        auto r = engine_.Blast(q.seeds, q.blast);
        if (!r.ok()) return core::Status::Error(At(name_, q.at) + r.status().message());
        Table t = q.blast_nodes ? BlastNodes(r.value()) : BlastCategories(r.value());
        BlastSummary(r.value(), t);
        return t;
      }
      case Query::Source::kRank: {
        auto metric = ParseRankMetric(q.metric);
        if (!metric) {
          return core::Status::Error(
              At(name_, q.metric_at) + "unknown metric '" + q.metric + "'" +
              core::DidYouMean(q.metric, {"severity", "records", "restricted", "reach"}) +
              "; metrics: severity, records, restricted, reach");
        }
        RankOptions options;
        options.by = *metric;
        options.kind = q.kind;
        options.blast = q.blast;
        return RankTable(engine_.Rank(options));
      }
      case Query::Source::kWhoHolds:
      case Query::Source::kWhoExposes: {
        auto c = Category(q.category, q.category_at);
        if (!c.ok()) return c.status();
        WhoHoldsOptions whole;
        whole.max_via = 0;  // a table's list is whole
        whole.exposers = q.source != Query::Source::kWhoHolds;
        auto r = engine_.WhoHolds(q.category, whole);
        if (!r.ok()) return r.status();
        return q.source == Query::Source::kWhoHolds ? HoldersTable(r.value()) : ExposersTable(r.value());
      }
      case Query::Source::kPaths: {
        auto from = Select(q.from);
        if (!from.ok()) return from.status();
        auto to = Select(q.to);
        if (!to.ok()) return to.status();
        Table t;
        t.columns = {"from", "to", "length", "path"};
        struct Found {
          size_t length;
          std::vector<Value> row;
        };
        std::vector<Found> found;
        bool truncated = false;
        for (const auto& a : from.value()) {
          for (const auto& b : to.value()) {
            CheckCancel();
            if (a == b) continue;
            auto r = engine_.Paths(a, b, q.paths);
            if (!r.ok()) return r.status();
            truncated = truncated || r.value().truncated;
            for (const auto& path : r.value().paths) {
              std::string text = a;
              for (const auto& hop : path) text += " " + EdgeLabel(hop) + " " + hop.to;
              found.push_back({path.size(),
                               {Value::Text(a), Value::Text(b),
                                Value::Number(static_cast<double>(path.size())), Value::Text(text)}});
            }
          }
        }
        std::stable_sort(found.begin(), found.end(),
                         [](const Found& x, const Found& y) { return x.length < y.length; });
        for (auto& f : found) t.rows.push_back(std::move(f.row));
        if (truncated)
          t.summary.push_back({"truncated", "the search budget ran out: longer paths may exist"});
        return t;
      }
    }
    return core::Status::Error(At(name_, q.at) + "unsupported query");
  }

  core::Result<Table> Tail(const Query& q, Table t) {
    if (q.where) {
      auto ok = CheckFilter(*q.where, t, taxonomy(), name_);
      if (!ok.ok()) return ok;
      std::vector<std::vector<Value>> kept;
      for (size_t r = 0; r < t.rows.size(); ++r) {
        CheckCancel();
        if (Matches(*q.where, t, r, taxonomy())) kept.push_back(std::move(t.rows[r]));
      }
      t.rows = std::move(kept);
    }
    if (!q.order_by.empty()) {
      int c = t.Column(q.order_by);
      if (c < 0) return UnknownColumn(t, q.order_by, name_, q.order_at);
      auto less = [c](const std::vector<Value>& a, const std::vector<Value>& b) {
        const Value &x = a[c], &y = b[c];
        if (x.type == Value::Type::kNull || y.type == Value::Type::kNull)
          return y.type == Value::Type::kNull && x.type != Value::Type::kNull;
        if (x.type == Value::Type::kNumber && y.type == Value::Type::kNumber) return x.number < y.number;
        if (x.scale != Value::Scale::kNone) return ScaleRank(x.scale, x.text) < ScaleRank(y.scale, y.text);
        if (x.type == Value::Type::kList) return x.list.size() < y.list.size();
        return x.text < y.text;
      };
      if (q.descending) {
        // Nulls stay last when descending too.
        std::stable_sort(t.rows.begin(), t.rows.end(), [&](const auto& a, const auto& b) {
          if (a[c].type == Value::Type::kNull || b[c].type == Value::Type::kNull) return less(a, b);
          return less(b, a);
        });
      } else {
        std::stable_sort(t.rows.begin(), t.rows.end(), less);
      }
    }
    if (q.limit > 0 && t.rows.size() > q.limit) t.rows.resize(q.limit);
    std::vector<std::string> show = q.show;
    std::vector<Position> show_at = q.show_at;
    if (show.empty() && q.source == Query::Source::kNodes) {
      // Nodes have many columns: by default the identity and whatever the query looked at.
      show = {"id", "name", "kind"};
      std::set<std::string> used;
      if (q.where) CollectColumns(*q.where, used);
      if (!q.order_by.empty()) used.insert(q.order_by);
      for (const auto& c : t.columns) {
        if (used.count(c) && std::find(show.begin(), show.end(), c) == show.end()) show.push_back(c);
      }
      show_at.assign(show.size(), q.at);
    }
    if (!show.empty()) {
      std::vector<int> idx;
      for (size_t i = 0; i < show.size(); ++i) {
        int c = t.Column(show[i]);
        if (c < 0) return UnknownColumn(t, show[i], name_, show_at[i]);
        idx.push_back(c);
      }
      Table p;
      p.columns = show;
      p.summary = t.summary;
      for (auto& row : t.rows) {
        std::vector<Value> out;
        for (int c : idx) out.push_back(row[c]);
        p.rows.push_back(std::move(out));
      }
      t = std::move(p);
    }
    return t;
  }

  const Engine& engine_;
  std::string name_;
};

// An engine over the map with `edits` applied in memory (query/what_if.h); the store is never touched.
core::Result<std::unique_ptr<Engine>> OverlaidEngine(const Engine& engine, const std::vector<Edit>& edits,
                                                     const std::string& name) {
  using Kind = core::OverlayEdit::Kind;
  core::Overlay overlay;
  for (const auto& e : edits) {
    core::OverlayEdit o;
    o.where = {name, e.at.line, e.at.col};
    o.from = e.from;
    o.to = e.to;
    o.category = e.category;
    o.replacement = e.replacement;
    switch (e.kind) {
      case Edit::Kind::kRemoveNode:
        o.kind = Kind::kRemoveNode;
        o.node = e.node;
        break;
      case Edit::Kind::kRemoveFlow: o.kind = Kind::kRemoveFlow; break;
      case Edit::Kind::kRemoveAccess: o.kind = Kind::kRemoveAccess; break;
      case Edit::Kind::kDropCategory: o.kind = Kind::kDropCategory; break;
      case Edit::Kind::kPseudonymise: o.kind = Kind::kPseudonymise; break;
      case Edit::Kind::kReplace: o.kind = Kind::kReplaceCategory; break;
      case Edit::Kind::kSetLikelihood:
        o.kind = Kind::kSetLikelihood;
        o.likelihood = e.likelihood;
        if (e.likelihood <= 0 || e.likelihood > 1) {
          return core::Status::Error(At(name, e.at) + "a likelihood is in (0, 1]");
        }
        break;
      case Edit::Kind::kAddVendor: {
        o.kind = Kind::kAdd;
        o.from.clear();
        o.to.clear();
        core::Node node;
        node.id = e.node;
        node.name = e.node;
        node.kind = core::NodeKind::kVendor;
        node.where = o.where;
        o.added.nodes.push_back(node);
        if (!e.categories.empty()) {
          core::Flow flow;
          flow.from = e.from;
          flow.to = e.node;
          flow.categories = core::ToSymbols(e.categories);
          flow.where = o.where;
          o.added.flows.push_back(flow);
        }
        if (!e.privilege.empty()) {
          auto privilege = core::ParsePrivilege(e.privilege);
          if (!privilege) {
            return core::Status::Error(At(name, e.at) + "unknown privilege '" + e.privilege +
                                       "' (read, write, admin, code)");
          }
          core::Access access;
          access.from = e.node;
          access.to = e.to;
          access.privilege = *privilege;
          access.where = o.where;
          o.added.accesses.push_back(access);
        }
        break;
      }
    }
    overlay.edits.push_back(std::move(o));
  }
  auto model = ApplyOverlay(engine.graph().model(), overlay);
  if (!model.ok()) return model.status();
  return Engine::FromModel(model.take(), engine.snapshot());
}

}  // namespace

core::Status CheckFilter(const Expr& e, const Table& table, const core::Taxonomy& tax,
                         const std::string& name) {
  for (const auto& c : e.children) {
    auto s = CheckFilter(*c, table, tax, name);
    if (!s.ok()) return s;
  }
  if (e.column.empty()) return core::Status::Ok();
  if (table.Column(e.column) < 0) return UnknownColumn(table, e.column, name, e.at);
  if (e.kind == Expr::Kind::kUnder && tax.Index(e.category) < 0) {
    return UnknownCategory(tax, e.category, name, e.category_at);
  }
  // A word compared with an ordinal column must be on its scale: "sensitivity >= restriced" is a typo.
  if (e.kind == Expr::Kind::kCompare && e.op != CompareOp::kEq && e.op != CompareOp::kNe) {
    for (const auto& row : table.rows) {
      const Value& v = row[table.Column(e.column)];
      if (v.scale == Value::Scale::kNone) continue;
      if (ScaleRank(v.scale, e.literals[0].text) < 0) {
        std::vector<std::string> words =
            v.scale == Value::Scale::kSensitivity
                ? std::vector<std::string>{"public", "internal", "confidential", "restricted"}
                : std::vector<std::string>{"low", "medium", "high", "critical"};
        return core::Status::Error(At(name, e.literals[0].at) + "'" + e.literals[0].text +
                                   "' is not one of " + Join(words, ", ") +
                                   core::DidYouMean(e.literals[0].text, words));
      }
      break;
    }
  }
  return core::Status::Ok();
}

bool Matches(const Expr& e, const Table& table, size_t row, const core::Taxonomy& tax) {
  switch (e.kind) {
    case Expr::Kind::kAnd:
      return Matches(*e.children[0], table, row, tax) && Matches(*e.children[1], table, row, tax);
    case Expr::Kind::kOr:
      return Matches(*e.children[0], table, row, tax) || Matches(*e.children[1], table, row, tax);
    case Expr::Kind::kNot: return !Matches(*e.children[0], table, row, tax);
    default: break;
  }
  const Value& v = table.rows[row][table.Column(e.column)];
  switch (e.kind) {
    case Expr::Kind::kCompare: return CompareValue(v, e.op, e.literals[0]);
    case Expr::Kind::kIn:
      return std::any_of(e.literals.begin(), e.literals.end(),
                         [&](const Literal& lit) { return CompareValue(v, CompareOp::kEq, lit); });
    case Expr::Kind::kUnder: {
      int ancestor = tax.Index(e.category);
      for (const auto& item : Items(v)) {
        int c = tax.Index(item);
        if (c >= 0 && tax.IsAncestorOrSelf(ancestor, c)) return true;
      }
      return false;
    }
    case Expr::Kind::kContains: {
      const Literal& lit = e.literals[0];
      if (v.type == Value::Type::kList) {
        return std::any_of(v.list.begin(), v.list.end(), [&](const std::string& s) { return s == lit.text; });
      }
      return v.type != Value::Type::kNull && v.ToString().find(lit.text) != std::string::npos;
    }
    case Expr::Kind::kMissing: {
      bool missing = v.type == Value::Type::kNull || (v.type == Value::Type::kList && v.list.empty());
      return e.negated ? !missing : missing;
    }
    default: return false;
  }
}

core::Result<std::vector<Table>> Evaluate(const Engine& engine, const std::vector<Statement>& statements,
                                          const std::string& name) {
  std::vector<Table> out;
  for (const auto& s : statements) {
    const Engine* target = &engine;
    std::unique_ptr<Engine> overlaid;
    if (!s.edits.empty()) {
      auto e = OverlaidEngine(engine, s.edits, name);
      if (!e.ok()) return e.status();
      overlaid = e.take();
      target = overlaid.get();
    }
    Runner runner(*target, name);
    auto t = runner.Run(*s.query);
    if (!t.ok()) return t.status();
    Table table = t.take();
    table.statement = s.text;
    if (s.count) {
      Table counted;
      counted.statement = s.text;
      counted.columns = {"count"};
      counted.rows = {{Value::Number(static_cast<double>(table.rows.size()))}};
      counted.counted = true;
      table = std::move(counted);
    }
    if (!s.edits.empty())
      table.summary.insert(table.summary.begin(),
                           {"what-if", std::to_string(s.edits.size()) + " edit(s) applied in memory"});
    out.push_back(std::move(table));
  }
  return out;
}

}  // namespace blastmap::query::lang
