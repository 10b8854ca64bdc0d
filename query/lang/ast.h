// The syntax tree of the blastmap query language (docs/query-language.md): statements, the queries
// they run, row filters and what-if edits. Produced by the parser, consumed by the evaluator.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "query/blast_result.h"
#include "query/paths.h"

namespace blastmap::query::lang {

// A 1-based line and column in the query text.
struct Position {
  int line = 1;
  int col = 1;
};

// A literal on the right of a comparison: a number, a quoted string or a bare word.
struct Literal {
  enum class Kind { kNumber, kString, kWord };
  Kind kind = Kind::kWord;
  std::string text;  // as written (without quotes)
  double number = 0;
  Position at;
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };
std::string_view CompareOpName(CompareOp op);

// A row filter: a tree of and/or/not over tests on one column each.
struct Expr {
  enum class Kind {
    kAnd,       // children[0] and children[1]
    kOr,        // children[0] or children[1]
    kNot,       // not children[0]
    kCompare,   // column op literals[0]
    kIn,        // column in (literals...)
    kUnder,     // column under category (the category or one of its descendants)
    kContains,  // column contains literals[0]
    kMissing,   // column is missing (negated: is present)
  };
  Kind kind = Kind::kCompare;
  Position at;  // of the column (or of the operator for and/or/not)
  std::string column;
  CompareOp op = CompareOp::kEq;
  std::vector<Literal> literals;
  std::string category;  // kUnder
  Position category_at;
  bool negated = false;  // kMissing: "is present"
  std::vector<std::shared_ptr<const Expr>> children;
};
using ExprPtr = std::shared_ptr<const Expr>;

// One what-if edit as written; the evaluator turns it into an overlay edit.
struct Edit {
  enum class Kind {
    kRemoveNode,     // remove vendor|system|node ID
    kRemoveFlow,     // remove flow A -> B
    kDropCategory,   // drop CATEGORY from A -> B
    kPseudonymise,   // pseudonymise CATEGORY on A -> B
    kReplace,        // replace CATEGORY with CATEGORY on A -> B
    kRemoveAccess,   // remove access A -> B
    kSetLikelihood,  // set likelihood of A -> B to NUMBER
    kAddVendor,      // add vendor ID [receiving CATEGORY, ... from A] [with PRIVILEGE access to B]
  };
  Kind kind = Kind::kRemoveNode;
  Position at;
  std::string node;  // kRemoveNode, kAddVendor
  std::string from, to;
  std::string category;
  std::string replacement;              // kReplace
  std::vector<std::string> categories;  // kAddVendor: what it receives
  std::string privilege;                // kAddVendor: access it gets to `to`
  double likelihood = 1.0;
};

struct Query;
using QueryPtr = std::shared_ptr<const Query>;

// A node selection in `paths`: one node id or a parenthesised query whose rows have an id column.
struct Selector {
  std::string id;
  QueryPtr query;
  Position at;
};

struct Query {
  enum class Source { kNodes, kBlast, kRank, kWhoHolds, kWhoExposes, kPaths };
  Source source = Source::kNodes;
  Position at;
  std::optional<core::NodeKind> kind;  // kNodes, kRank: vendors/systems, unset for nodes
  // kBlast
  std::vector<std::string> seeds;
  std::vector<Position> seed_at;
  bool blast_nodes = false;  // rows are the compromised nodes instead of the exposed categories
  BlastOptions blast;
  // kRank
  std::string metric;
  Position metric_at;
  // kWhoHolds, kWhoExposes
  std::string category;
  Position category_at;
  // kPaths
  Selector from, to;
  PathOptions paths;
  // The tail shared by every source.
  ExprPtr where;
  std::string order_by;
  Position order_at;
  bool descending = false;
  size_t limit = 0;  // 0: no limit
  std::vector<std::string> show;
  std::vector<Position> show_at;
};

struct Statement {
  Position at;
  std::string text;         // the statement's source text, for headings
  std::vector<Edit> edits;  // what if ... then: applied before the query
  bool count = false;       // count the rows instead of listing them
  QueryPtr query;
};

}  // namespace blastmap::query::lang
