// Reading a snapshot back from the store into a Model (Store::LoadSnapshot), or straight into a lean Graph
// (Store::LoadGraph).
#include <sqlite3.h>

#include <exception>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/graph_builder.h"
#include "core/huge_pages.h"
#include "core/sqlite_util.h"
#include "core/store_rows.h"

namespace blastmap::core::store_detail {
namespace {

using sql::PathOf;
using sql::Stmt;

// Runs `sql` with ?1 bound to a snapshot id and hands each row, in order, to `row`, which may fail.
template <typename RowFn>
Status ForEachRow(sqlite3* db, int64_t id, const char* sql, std::string_view doing, RowFn&& row) {
  Stmt stmt(db);
  BLASTMAP_RETURN_IF_ERROR(stmt.Prepare(sql, doing));
  stmt.Bind(id);
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) BLASTMAP_RETURN_IF_ERROR(row(stmt));
  if (rc != SQLITE_DONE) return stmt.Error(doing);
  return Status::Ok();
}

// The (file, line, col) columns starting at `col`.
Provenance Where(const Stmt& row, int col) {
  return {row.View(col), static_cast<int>(row.Int(col + 1)), static_cast<int>(row.Int(col + 2))};
}

// Reads the Fides privacy declarations and policies of snapshot `id`; none from a schema 2 store.
Status LoadFides(sqlite3* db, int64_t id, const std::string& context, Model* model) {
  Stmt tables(db);
  BLASTMAP_RETURN_IF_ERROR(
      tables.Prepare("SELECT count(*) FROM sqlite_master WHERE name = 'declarations'", "reading the schema"));
  if (tables.Step() != SQLITE_ROW) return tables.Error("reading the schema");
  if (tables.Int(0) == 0) return Status::Ok();
  tables.Reset();
  BLASTMAP_RETURN_IF_ERROR(ForEachRow(
      db, id,
      "SELECT node, name, categories, use, subjects, datasets, file, line, col FROM declarations "
      "WHERE snapshot = ? ORDER BY pos",
      context + "loading declarations", [&](const Stmt& row) {
        model->declarations.push_back({row.Text(0), row.Text(1), DecodeList(row.View(2)), row.Text(3),
                                       DecodeList(row.View(4)), DecodeList(row.View(5)), Where(row, 6)});
        return Status::Ok();
      }));
  BLASTMAP_RETURN_IF_ERROR(ForEachRow(
      db, id,
      "SELECT fides_key, name, description, file, line, col FROM fides_policies WHERE snapshot = ? "
      "ORDER BY pos",
      context + "loading fides policies", [&](const Stmt& row) {
        model->fides_policies.push_back({row.Text(0), row.Text(1), row.Text(2), {}, Where(row, 3)});
        return Status::Ok();
      }));
  return ForEachRow(
      db, id,
      "SELECT policy_pos, name, description, categories_match, categories, uses_match, uses, subjects_match, "
      "subjects, file, line, col FROM fides_rules WHERE snapshot = ? ORDER BY policy_pos, pos",
      context + "loading fides rules", [&](const Stmt& row) {
        const int64_t pos = row.Int(0);
        if (pos < 0 || pos >= Pos(model->fides_policies.size())) {
          return Status::Error("store " + PathOf(db) + ": " + context +
                               "a fides rule names policy position " + std::to_string(pos) +
                               " (the store is damaged)");
        }
        model->fides_policies[static_cast<size_t>(pos)].rules.push_back(
            {row.Text(1),
             row.Text(2),
             {row.Text(3), DecodeList(row.View(4))},
             {row.Text(5), DecodeList(row.View(6))},
             {row.Text(7), DecodeList(row.View(8))},
             Where(row, 9)});
        return Status::Ok();
      });
}

// How many rows of `table` snapshot `id` holds, for reserving: positions run 0..n-1, so max(pos) + 1,
// found in the primary key without reading the rows. Bounded by what the file can hold, so a damaged
// position cannot make the reader ask for more memory than the store's own size justifies.
size_t RowsHint(sqlite3* db, int64_t id, const std::string& table) {
  Stmt size(db);
  if (!size.Prepare("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", "sizing")
           .ok() ||
      size.Step() != SQLITE_ROW) {
    return 0;
  }
  const int64_t bytes = size.Int(0);
  Stmt max(db);
  if (!max.Prepare(("SELECT coalesce(max(pos) + 1, 0) FROM " + table + " WHERE snapshot = ?").c_str(),
                   "sizing")
           .ok()) {
    return 0;
  }
  max.Bind(id);
  if (max.Step() != SQLITE_ROW) return 0;
  const int64_t rows = max.Int(0);
  return rows < 0 || rows > bytes / 16 ? 0 : static_cast<size_t>(rows);
}

// Values the schema cannot constrain (enum names, positions) are checked, so a damaged store is an error.
Status Damaged(sqlite3* db, const std::string& context, const std::string& what) {
  return Status::Error("store " + PathOf(db) + ": " + context + what + " (the store is damaged)");
}

// The flows of snapshot `id`.
Status LoadFlows(sqlite3* db, int64_t id, const std::string& context, std::vector<Flow>* flows) {
  flows->reserve(RowsHint(db, id, "flows"));
  return ForEachRow(
      db, id, (std::string("SELECT ") + kFlowColumns + " FROM flows WHERE snapshot = ? ORDER BY pos").c_str(),
      context + "loading flows", [&](const Stmt& row) {
        flows->push_back(FlowOf(row));
        return Status::Ok();
      });
}

// The access edges of snapshot `id`.
Status LoadAccesses(sqlite3* db, int64_t id, const std::string& context, std::vector<Access>* accesses) {
  accesses->reserve(RowsHint(db, id, "accesses"));
  return ForEachRow(
      db, id,
      (std::string("SELECT ") + kAccessColumns + " FROM accesses WHERE snapshot = ? ORDER BY pos").c_str(),
      context + "loading accesses", [&](const Stmt& row) {
        auto access = AccessOf(row);
        if (!access) return Damaged(db, context, "an access has unknown privilege '" + row.Text(2) + "'");
        accesses->push_back(*access);
        return Status::Ok();
      });
}

// The nodes of snapshot `id` with their attributes.
Status LoadNodes(sqlite3* db, int64_t id, const std::string& context, Model* model) {
  auto damaged = [&](const std::string& what) { return Damaged(db, context, what); };
  // Reserved up front: no reallocation while loading, and no unused capacity kept for the engine's life.
  model->nodes.reserve(RowsHint(db, id, "nodes"));
  BLASTMAP_RETURN_IF_ERROR(
      ForEachRow(db, id, "SELECT id, kind, name, file, line, col FROM nodes WHERE snapshot = ? ORDER BY pos",
                 context + "loading nodes", [&](const Stmt& row) {
                   Node& n = model->nodes.emplace_back();
                   n.id = row.View(0);
                   auto kind = ParseNodeKind(row.Text(1));
                   if (!kind) return damaged("node '" + n.id + "' has unknown kind '" + row.Text(1) + "'");
                   n.kind = *kind;
                   // A name that is the id shares its pooled string (Text(Symbol)): most names default to it.
                   if (row.View(2) == n.id) {
                     n.name = n.id;
                   } else {
                     n.name = row.View(2);
                   }
                   n.where = Where(row, 3);
                   return Status::Ok();
                 }));
  // The values of one (node, key) are gathered, then interned as one list.
  int64_t node = -1;
  Symbol key;
  std::vector<Symbol> values;
  auto flush = [&] {
    if (node >= 0) model->nodes[static_cast<size_t>(node)].attrs[key] = values;
  };
  BLASTMAP_RETURN_IF_ERROR(ForEachRow(
      db, id,
      "SELECT node_pos, key, value FROM node_attrs WHERE snapshot = ? ORDER BY node_pos, key, ordinal",
      context + "loading node attributes", [&](const Stmt& row) {
        const int64_t pos = row.Int(0);
        if (pos < 0 || pos >= Pos(model->nodes.size())) {
          return damaged("an attribute names node position " + std::to_string(pos));
        }
        if (pos != node || key != row.View(1)) {
          flush();
          node = pos;
          key = row.View(1);
          values.clear();
        }
        if (!row.Null(2)) values.push_back(row.View(2));
        return Status::Ok();
      }));
  flush();
  return Status::Ok();
}

// The holdings of snapshot `id`.
Status LoadHoldings(sqlite3* db, int64_t id, const std::string& context, std::vector<Holding>* holdings) {
  holdings->reserve(RowsHint(db, id, "holdings"));
  return ForEachRow(
      db, id,
      (std::string("SELECT ") + kHoldingColumns + " FROM holdings WHERE snapshot = ? ORDER BY pos").c_str(),
      context + "loading holdings", [&](const Stmt& row) {
        holdings->push_back(HoldingOf(row));
        return Status::Ok();
      });
}

// The subjects, Fides declarations and policies, taxonomy and severity weights of snapshot `id`.
Status LoadRest(sqlite3* db, int64_t id, const std::string& context, Model* model) {
  auto damaged = [&](const std::string& what) { return Damaged(db, context, what); };
  model->subjects.reserve(RowsHint(db, id, "subjects"));
  BLASTMAP_RETURN_IF_ERROR(ForEachRow(
      db, id,
      "SELECT id, kind, name, jurisdictions, records, file, line, col FROM subjects WHERE snapshot = ? "
      "ORDER BY pos",
      context + "loading subjects", [&](const Stmt& row) {
        model->subjects.push_back({row.View(0), row.View(1), row.View(2), DecodeList<Symbol>(row.View(3)),
                                   row.Records(4), Where(row, 5)});
        return Status::Ok();
      }));

  BLASTMAP_RETURN_IF_ERROR(LoadFides(db, id, context, model));

  Taxonomy& taxonomy = model->taxonomy;
  BLASTMAP_RETURN_IF_ERROR(ForEachRow(db, id,
                                      "SELECT key, name, description, sensitivity, flags, tags, file, line "
                                      "FROM categories WHERE snapshot = ? "
                                      "ORDER BY pos",
                                      context + "loading categories", [&](const Stmt& row) {
                                        Category c;
                                        c.key = row.Text(0);
                                        c.name = row.Text(1);
                                        c.description = row.Text(2);
                                        if (!row.Null(3)) {
                                          c.declared_sensitivity = ParseSensitivity(row.Text(3));
                                          if (!c.declared_sensitivity)
                                            return damaged("category '" + c.key +
                                                           "' has unknown sensitivity");
                                        }
                                        if (!row.Null(4))
                                          c.declared_flags = static_cast<uint32_t>(row.Int(4));
                                        if (!row.Null(5)) c.declared_tags = DecodeList(row.View(5));
                                        c.file = row.Text(6);
                                        c.line = static_cast<int>(row.Int(7));
                                        taxonomy.AddCategory(std::move(c));
                                        return Status::Ok();
                                      }));
  BLASTMAP_RETURN_IF_ERROR(
      ForEachRow(db, id, "SELECT key, name, description FROM subject_kinds WHERE snapshot = ? ORDER BY pos",
                 context + "loading subject kinds", [&](const Stmt& row) {
                   taxonomy.AddSubjectKind({row.Text(0), row.Text(1), row.Text(2)});
                   return Status::Ok();
                 }));
  BLASTMAP_RETURN_IF_ERROR(
      ForEachRow(db, id, "SELECT key, name, description FROM data_uses WHERE snapshot = ? ORDER BY pos",
                 context + "loading data uses", [&](const Stmt& row) {
                   taxonomy.AddDataUse({row.Text(0), row.Text(1), row.Text(2)});
                   return Status::Ok();
                 }));
  SeverityWeights& w = taxonomy.severity();
  return ForEachRow(db, id, "SELECT section, key, value FROM severity_weights WHERE snapshot = ?",
                    context + "loading severity weights", [&](const Stmt& row) {
                      const std::string section = row.Text(0), key = row.Text(1);
                      for (auto& [name, map] : WeightMaps(w)) {
                        if (section == name) {
                          (*map)[key] = row.Real(2);
                          return Status::Ok();
                        }
                      }
                      for (auto& [name, value] : WeightScalars(w)) {
                        if (section == "scalar" && key == name) {
                          *value = row.Real(2);
                          return Status::Ok();
                        }
                      }
                      return damaged("unknown severity weight '" + section + "." + key + "'");
                    });
}

// A second read-only connection to the store of `db`, in a read transaction; nullptr when none can be
// had (then everything is read on `db`).
sqlite3* OpenSecond(sqlite3* db) {
  const char* file = sqlite3_db_filename(db, "main");
  if (file == nullptr || *file == '\0') return nullptr;
  sqlite3* second = nullptr;
  if (sqlite3_open_v2(file, &second, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
      !sql::Exec(second, "BEGIN", "starting to load a snapshot").ok()) {
    sqlite3_close_v2(second);
    return nullptr;
  }
  sqlite3_busy_timeout(second, kBusyTimeoutMs);
  return second;
}

// Runs beside(second) on a second read-only connection (OpenSecond) on its own thread while main(true) runs
// on `db`; when no second connection can be had, only main(false) runs, and must read beside's part on `db`
// itself. Joins the thread and closes the connection however main ends.
template <typename Beside, typename Main>
void WithSecondConnection(sqlite3* db, Beside&& beside, Main&& main) {
  sqlite3* second = OpenSecond(db);
  std::thread worker;
  if (second != nullptr) worker = std::thread([&] { beside(second); });
  try {
    main(second != nullptr);
  } catch (...) {
    if (worker.joinable()) worker.join();
    sqlite3_close_v2(second);
    throw;
  }
  if (worker.joinable()) worker.join();
  sqlite3_close_v2(second);
}

}  // namespace

const char* const kFlowColumns =
    "from_node, to_node, forwards_all, categories, subjects, purpose, records, transport, required, "
    "description, file, line, col, active_from, active_until";
const char* const kAccessColumns =
    "from_node, to_node, privilege, mechanism, likelihood, description, file, line, col";
const char* const kHoldingColumns = "node, categories, subjects, records, file, line, col";

Flow FlowOf(const sql::Stmt& row) {
  return {row.View(0),
          row.View(1),
          DecodeList<Symbol>(row.View(3)),
          DecodeList<Symbol>(row.View(4)),
          row.View(5),
          row.View(7),
          row.Records(6),
          row.View(9),
          Where(row, 10),
          row.View(13),
          row.View(14),
          row.Int(2) != 0,
          row.Int(8) != 0};
}

std::optional<Access> AccessOf(const sql::Stmt& row) {
  auto privilege = ParsePrivilege(row.View(2));
  if (!privilege) return std::nullopt;
  return Access{row.View(0), row.View(1), row.View(3), row.Real(4), row.View(5), Where(row, 6), *privilege};
}

Holding HoldingOf(const sql::Stmt& row) {
  return {row.View(0), DecodeList<Symbol>(row.View(1)), DecodeList<Symbol>(row.View(2)), Where(row, 4),
          row.Records(3)};
}

Status LoadRows(sqlite3* db, int64_t id, Model* model) {
  const std::string context = "snapshot " + std::to_string(id) + ": ";
  // The flows and holdings are read on a second connection by a second thread, the nodes, accesses and
  // the rest on the first: about the same work on each (flows are the biggest table, node attributes the
  // second). Snapshots are never changed once committed, so both connections read the same rows.
  Status flows, holdings;
  auto second_part = [&](sqlite3* on) {
    flows = LoadFlows(on, id, context, &model->flows);
    if (flows.ok()) holdings = LoadHoldings(on, id, context, &model->holdings);
  };
  Status nodes, accesses, rest;
  WithSecondConnection(
      db,
      [&](sqlite3* second) {
        try {
          second_part(second);
        } catch (const std::exception& e) {
          flows = Status::Error(context + "loading flows and holdings: " + e.what());
        }
      },
      [&](bool beside) {
        nodes = LoadNodes(db, id, context, model);
        if (nodes.ok()) accesses = LoadAccesses(db, id, context, &model->accesses);
        if (nodes.ok() && accesses.ok() && !beside) second_part(db);
        if (nodes.ok() && accesses.ok()) rest = LoadRest(db, id, context, model);
      });
  // The first problem in table order, as a serial read would report it.
  for (const Status* s : {&nodes, &holdings, &flows, &accesses, &rest}) {
    if (!s->ok()) return *s;
  }
  return Status::Ok();
}

namespace {

using Table = GraphBuilder::Table;

// The error for the bad row the builder found in `table`: a damaged store (imports check references),
// named by where the row was declared, read from the store now.
Status RowFault(sqlite3* db, int64_t id, const std::string& context, const GraphBuilder& b, Table table) {
  const GraphBuilder::Fault& f = *b.fault(table);
  const std::string name = table == Table::kHolding ? "holdings"
                           : table == Table::kFlow  ? "flows"
                                                    : "accesses";
  std::string where = name + " position " + std::to_string(f.pos);
  Stmt stmt(db);
  if (stmt.Prepare(("SELECT file, line, col FROM " + name + " WHERE snapshot = ? AND pos = ?").c_str(), "")
          .ok()) {
    stmt.Bind(id, static_cast<int64_t>(f.pos));
    if (stmt.Step() == SQLITE_ROW) where = Where(stmt, 0).ToString();
  }
  return Damaged(db, context, where + ": " + f.what);
}

// The keys of a list column, viewed in place (valid while its row is), in `keys`.
std::span<const std::string_view> Keys(std::string_view text, std::vector<std::string_view>& keys) {
  keys.clear();
  ForEachListItem(text, [&](std::string_view key) { keys.push_back(key); });
  return keys;
}

// The SymbolList of each distinct list column met: a few hundred subject lists serve millions of rows.
class ListCache {
 public:
  SymbolList Of(std::string_view text) {
    auto it = lists_.find(text);
    if (it == lists_.end()) it = lists_.emplace(std::string(text), DecodeList<Symbol>(text)).first;
    return it->second;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, SymbolList, Hash, std::equal_to<>> lists_;
};

// The holdings' and then the flows' columns the graph needs, into `b`.
Status LoadGraphHoldingsAndFlows(sqlite3* db, int64_t id, const std::string& context, GraphBuilder& b) {
  ListCache subjects;
  std::vector<std::string_view> keys;
  b.ReserveHoldings(RowsHint(db, id, "holdings"), 0);
  BLASTMAP_RETURN_IF_ERROR(ForEachRow(
      db, id, "SELECT node, categories, subjects, records FROM holdings WHERE snapshot = ? ORDER BY pos",
      context + "loading holdings", [&](const Stmt& row) {
        if (!b.AddHolding(row.View(0), Keys(row.View(1), keys), subjects.Of(row.View(2)), row.Records(3)))
          return RowFault(db, id, context, b, Table::kHolding);
        return Status::Ok();
      }));
  if (!b.EndHoldings()) return RowFault(db, id, context, b, Table::kHolding);
  b.ReserveFlows(RowsHint(db, id, "flows"), 0);
  BLASTMAP_RETURN_IF_ERROR(ForEachRow(
      db, id,
      "SELECT from_node, to_node, forwards_all, categories, subjects, records FROM flows WHERE snapshot = ? "
      "ORDER BY pos",
      context + "loading flows", [&](const Stmt& row) {
        if (!b.AddFlow(row.View(0), row.View(1), Keys(row.View(3), keys), subjects.Of(row.View(4)),
                       row.Records(5), row.Int(2) != 0))
          return RowFault(db, id, context, b, Table::kFlow);
        return Status::Ok();
      }));
  if (!b.EndFlows()) return RowFault(db, id, context, b, Table::kFlow);
  return Status::Ok();
}

// The accesses' columns the graph needs, into `b`.
Status LoadGraphAccesses(sqlite3* db, int64_t id, const std::string& context, GraphBuilder& b) {
  b.ReserveAccesses(RowsHint(db, id, "accesses"));
  BLASTMAP_RETURN_IF_ERROR(ForEachRow(
      db, id,
      "SELECT from_node, to_node, privilege, likelihood FROM accesses WHERE snapshot = ? ORDER BY pos",
      context + "loading accesses", [&](const Stmt& row) {
        auto privilege = ParsePrivilege(row.View(2));
        if (!privilege) return Damaged(db, context, "an access has unknown privilege '" + row.Text(2) + "'");
        if (!b.AddAccess(row.View(0), row.View(1), row.Real(3), *privilege))
          return RowFault(db, id, context, b, Table::kAccess);
        return Status::Ok();
      }));
  if (!b.EndAccesses()) return RowFault(db, id, context, b, Table::kAccess);
  return Status::Ok();
}

}  // namespace

Result<Graph> LoadGraphRows(sqlite3* db, int64_t id) {
  const std::string context = "snapshot " + std::to_string(id) + ": ";
  Model model;
  BLASTMAP_RETURN_IF_ERROR(LoadNodes(db, id, context, &model));
  BLASTMAP_RETURN_IF_ERROR(LoadRest(db, id, context, &model));
  Status finalized = model.taxonomy.Finalize();
  if (!finalized.ok()) return Status::Error("snapshot " + std::to_string(id) + ": " + finalized.message());
  GraphBuilder b(std::move(model));
  BLASTMAP_RETURN_IF_ERROR(b.Begin());
  // The nodes come first (the rows name them); then the holdings and flows on a second connection by a
  // second thread, the accesses on the first, into disjoint parts of the builder.
  Status holdings_and_flows, accesses;
  bool ran_beside = false;
  WithSecondConnection(
      db,
      [&](sqlite3* second) {
        try {
          holdings_and_flows = LoadGraphHoldingsAndFlows(second, id, context, b);
        } catch (const std::exception& e) {
          holdings_and_flows = Status::Error(context + "loading holdings and flows: " + e.what());
        }
      },
      [&](bool beside) {
        ran_beside = beside;
        if (!beside) holdings_and_flows = LoadGraphHoldingsAndFlows(db, id, context, b);
        accesses = LoadGraphAccesses(db, id, context, b);
      });
  BLASTMAP_RETURN_IF_ERROR(holdings_and_flows);
  BLASTMAP_RETURN_IF_ERROR(accesses);
  // The second thread's arrays are in its own arena unless every thread shares the main one: in 4 KiB pages,
  // which cost a brief on a big map twice its time (docs/performance.md, "Huge pages").
  if (ran_beside && !ThreadsShareOneArena()) b.RehomeHoldingsAndFlows();
  return b.Finish();
}

}  // namespace blastmap::core::store_detail
