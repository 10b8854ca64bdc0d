#include "query/lang/parser.h"

#include <cstdlib>
#include <set>

#include "query/lang/lexer.h"

namespace blastmap::query::lang {

std::string_view CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

namespace {

// Words that begin a statement: after a complete query one of these (or ';' or the end) must follow.
const std::set<std::string> kStatementStarts = {"vendors", "systems", "nodes", "blast", "rank",
                                                "who",     "paths",   "count", "what"};

// Thrown inside the parser only, caught by the entry points and turned into a Status.
struct ParseError {
  std::string message;
};

class Parser {
 public:
  Parser(std::string name, std::vector<Token> tokens) : name_(std::move(name)), tokens_(std::move(tokens)) {}

  std::vector<Statement> Script() {
    std::vector<Statement> out;
    while (!AtEnd()) {
      if (IsOp(";")) {
        ++pos_;
        continue;
      }
      out.push_back(ParseStatement());
      if (!AtEnd() && !IsOp(";") && !IsStatementStart()) {
        Fail(Peek(), "expected ';', a new statement or the end after the query");
      }
    }
    return out;
  }

  ExprPtr LoneFilter() {
    ExprPtr e = ParseExpr();
    if (!AtEnd()) Fail(Peek(), "expected 'and', 'or' or the end of the filter");
    return e;
  }

 private:
  // ---- token helpers
  const Token& Peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  bool AtEnd() const { return Peek().kind == Token::Kind::kEnd; }
  bool IsWord(const char* w, size_t ahead = 0) const {
    return Peek(ahead).kind == Token::Kind::kWord && Peek(ahead).text == w;
  }
  bool IsOp(const char* op) const { return Peek().kind == Token::Kind::kOp && Peek().text == op; }
  bool IsStatementStart() const {
    return Peek().kind == Token::Kind::kWord && kStatementStarts.count(Peek().text) > 0;
  }
  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Token::Kind::kEnd: return "the end of the query";
      case Token::Kind::kString: return "\"" + t.text + "\"";
      default: return "'" + t.text + "'";
    }
  }
  [[noreturn]] void Fail(const Token& t, const std::string& what) const {
    throw ParseError{name_ + ":" + std::to_string(t.at.line) + ":" + std::to_string(t.at.col) + ": " + what +
                     ", found " + Describe(t)};
  }
  void ExpectWord(const char* w, const std::string& context) {
    if (!IsWord(w)) Fail(Peek(), "expected '" + std::string(w) + "' " + context);
    ++pos_;
  }
  void ExpectOp(const char* op, const std::string& context) {
    if (!IsOp(op)) Fail(Peek(), "expected '" + std::string(op) + "' " + context);
    ++pos_;
  }
  bool AcceptWord(const char* w) {
    if (!IsWord(w)) return false;
    ++pos_;
    return true;
  }
  bool AcceptOp(const char* op) {
    if (!IsOp(op)) return false;
    ++pos_;
    return true;
  }
  // A name: a word or a quoted string (quote ids that collide with keywords).
  std::string Name(const std::string& what, Position* at = nullptr) {
    const Token& t = Peek();
    if (t.kind != Token::Kind::kWord && t.kind != Token::Kind::kString) Fail(t, "expected " + what);
    if (at) *at = t.at;
    ++pos_;
    return t.text;
  }
  double Number(const std::string& what) {
    const Token& t = Peek();
    if (t.kind != Token::Kind::kNumber) Fail(t, "expected " + what);
    ++pos_;
    return std::strtod(t.text.c_str(), nullptr);
  }
  size_t Count(const std::string& what) {
    const Token& t = Peek();
    if (t.kind != Token::Kind::kNumber || t.text.find('.') != std::string::npos) {
      Fail(t, "expected " + what + " (a whole number)");
    }
    ++pos_;
    return static_cast<size_t>(std::strtoull(t.text.c_str(), nullptr, 10));
  }

  // Tokens [begin, end) as one line of normalised text (comments and line breaks gone).
  std::string Spell(size_t begin, size_t end) const {
    std::string out;
    for (size_t i = begin; i < end; ++i) {
      const Token& t = tokens_[i];
      bool tight = t.kind == Token::Kind::kOp && (t.text == "," || t.text == ")");
      if (!out.empty() && !tight && out.back() != '(') out += ' ';
      out += t.kind == Token::Kind::kString ? "\"" + t.text + "\"" : t.text;
    }
    return out;
  }

  // ---- statements
  Statement ParseStatement() {
    Statement s;
    size_t start = pos_;
    s.at = Peek().at;
    if (AcceptWord("what")) {
      ExpectWord("if", "after 'what'");
      do {
        s.edits.push_back(ParseEdit());
      } while (AcceptOp(","));
      ExpectWord("then", "after the what-if edits (separate edits with ',')");
    }
    s.count = AcceptWord("count");
    s.query = ParseQuery();
    s.text = Spell(start, pos_);
    return s;
  }

  void FlowEnds(Edit& e, const std::string& context) {
    e.from = Name("the flow's source node id " + context);
    ExpectOp("->", "between the flow's source and target");
    e.to = Name("the flow's target node id");
  }

  Edit ParseEdit() {
    Edit e;
    e.at = Peek().at;
    if (AcceptWord("remove")) {
      if (AcceptWord("flow")) {
        e.kind = Edit::Kind::kRemoveFlow;
        FlowEnds(e, "after 'remove flow'");
      } else if (AcceptWord("access")) {
        e.kind = Edit::Kind::kRemoveAccess;
        FlowEnds(e, "after 'remove access'");
      } else if (AcceptWord("vendor") || AcceptWord("system") || AcceptWord("node")) {
        e.kind = Edit::Kind::kRemoveNode;
        e.node = Name("a node id to remove");
      } else {
        Fail(Peek(), "expected 'vendor', 'system', 'node', 'flow' or 'access' after 'remove'");
      }
    } else if (AcceptWord("drop")) {
      e.kind = Edit::Kind::kDropCategory;
      e.category = Name("a category key after 'drop'");
      ExpectWord("from", "after the category (drop CATEGORY from A -> B)");
      FlowEnds(e, "after 'from'");
    } else if (AcceptWord("pseudonymise") || AcceptWord("pseudonymize")) {
      e.kind = Edit::Kind::kPseudonymise;
      e.category = Name("a category key after 'pseudonymise'");
      ExpectWord("on", "after the category (pseudonymise CATEGORY on A -> B)");
      FlowEnds(e, "after 'on'");
    } else if (AcceptWord("replace")) {
      e.kind = Edit::Kind::kReplace;
      e.category = Name("a category key after 'replace'");
      ExpectWord("with", "after the category (replace CATEGORY with CATEGORY on A -> B)");
      e.replacement = Name("the replacement category key");
      ExpectWord("on", "after the replacement (replace CATEGORY with CATEGORY on A -> B)");
      FlowEnds(e, "after 'on'");
    } else if (AcceptWord("set")) {
      e.kind = Edit::Kind::kSetLikelihood;
      ExpectWord("likelihood", "after 'set'");
      ExpectWord("of", "after 'set likelihood'");
      FlowEnds(e, "(an access edge) after 'of'");
      ExpectWord("to", "after the access edge");
      e.likelihood = Number("a likelihood between 0 and 1");
    } else if (AcceptWord("add")) {
      e.kind = Edit::Kind::kAddVendor;
      ExpectWord("vendor", "after 'add'");
      e.node = Name("the new vendor's id");
      if (AcceptWord("receiving")) {
        do {
          e.categories.push_back(Name("a category key the vendor receives"));
        } while (AcceptOp(","));
        ExpectWord("from", "after the categories (receiving CATEGORY, ... from NODE)");
        e.from = Name("the node that sends them");
      }
      if (AcceptWord("with")) {
        e.privilege = Name("a privilege (read, write, admin, code)");
        ExpectWord("access", "after the privilege (with PRIVILEGE access to NODE)");
        ExpectWord("to", "after 'access'");
        e.to = Name("the node the vendor gets access to");
      }
    } else {
      Fail(Peek(), "expected a what-if edit: remove, drop, pseudonymise, replace, set or add");
    }
    return e;
  }

  std::optional<core::NodeKind> NodesWord(const std::string& context) {
    if (AcceptWord("vendors")) return core::NodeKind::kVendor;
    if (AcceptWord("systems")) return core::NodeKind::kSystem;
    if (AcceptWord("nodes")) return std::nullopt;
    Fail(Peek(), "expected 'vendors', 'systems' or 'nodes' " + context);
  }

  void BlastOptionsTail(BlastOptions& options) {
    if (!AcceptWord("with")) return;
    do {
      if (AcceptWord("min")) {
        ExpectWord("likelihood", "after 'min'");
        const Token& t = Peek();
        options.min_likelihood = Number("a likelihood between 0 and 1");
        if (options.min_likelihood > 1) Fail(t, "expected a likelihood between 0 and 1");
      } else if (AcceptWord("max")) {
        ExpectWord("depth", "after 'max'");
        options.max_depth = static_cast<int>(Count("the longest access path in edges"));
      } else {
        Fail(Peek(), "expected an option: 'min likelihood N' or 'max depth N'");
      }
    } while (AcceptOp(","));
  }

  Selector ParseSelector(const std::string& context) {
    Selector sel;
    sel.at = Peek().at;
    if (AcceptOp("(")) {
      sel.query = ParseQuery();
      ExpectOp(")", "to close the node selection");
    } else {
      sel.id = Name("a node id or a parenthesised query " + context);
    }
    return sel;
  }

  QueryPtr ParseQuery() {
    auto q = std::make_shared<Query>();
    q->at = Peek().at;
    if (IsWord("vendors") || IsWord("systems") || IsWord("nodes")) {
      q->source = Query::Source::kNodes;
      q->kind = NodesWord("");
    } else if (AcceptWord("blast")) {
      q->source = Query::Source::kBlast;
      do {
        Position at;
        q->seeds.push_back(Name("a node id to compromise", &at));
        q->seed_at.push_back(at);
      } while (AcceptOp(","));
      if (AcceptWord("nodes")) {
        q->blast_nodes = true;
      } else {
        AcceptWord("categories");
      }
      BlastOptionsTail(q->blast);
    } else if (AcceptWord("rank")) {
      q->source = Query::Source::kRank;
      q->kind = NodesWord("after 'rank'");
      ExpectWord("by", "after 'rank " + std::string(tokens_[pos_ - 1].text) + "'");
      q->metric = Name("a metric (severity, records, restricted, reach)", &q->metric_at);
      BlastOptionsTail(q->blast);
    } else if (AcceptWord("who")) {
      if (AcceptWord("holds")) {
        q->source = Query::Source::kWhoHolds;
      } else if (AcceptWord("exposes")) {
        q->source = Query::Source::kWhoExposes;
      } else {
        Fail(Peek(), "expected 'holds' or 'exposes' after 'who'");
      }
      q->category = Name("a category key", &q->category_at);
    } else if (AcceptWord("paths")) {
      q->source = Query::Source::kPaths;
      ExpectWord("from", "after 'paths'");
      q->from = ParseSelector("after 'from'");
      ExpectWord("to", "after the start of the paths");
      q->to = ParseSelector("after 'to'");
      for (;;) {
        if (AcceptWord("via")) {
          if (AcceptWord("flows")) {
            q->paths.edges = PathEdges::kFlows;
          } else if (AcceptWord("access")) {
            q->paths.edges = PathEdges::kAccess;
          } else if (AcceptWord("both")) {
            q->paths.edges = PathEdges::kBoth;
          } else {
            Fail(Peek(), "expected 'flows', 'access' or 'both' after 'via'");
          }
        } else if (AcceptWord("max")) {
          ExpectWord("length", "after 'max'");
          const Token& t = Peek();
          q->paths.max_length = static_cast<int>(Count("the longest path in edges"));
          if (q->paths.max_length < 1 || q->paths.max_length > 64) Fail(t, "expected a length from 1 to 64");
        } else {
          break;
        }
      }
    } else {
      Fail(Peek(),
           "expected a query: vendors, systems, nodes, blast, rank, who holds, who exposes, paths, count or "
           "what if");
    }
    // The tail shared by every source.
    if (AcceptWord("where")) q->where = ParseExpr();
    if (AcceptWord("order")) {
      ExpectWord("by", "after 'order'");
      q->order_by = Name("a column to order by", &q->order_at);
      if (AcceptWord("desc")) {
        q->descending = true;
      } else {
        AcceptWord("asc");
      }
    }
    if (AcceptWord("limit")) {
      q->limit = Count("how many rows");
      if (q->limit == 0) Fail(tokens_[pos_ - 1], "expected a limit of at least 1");
    }
    if (AcceptWord("show")) {
      do {
        Position at;
        q->show.push_back(Name("a column to show", &at));
        q->show_at.push_back(at);
      } while (AcceptOp(","));
    }
    return q;
  }

  // ---- filters
  ExprPtr ParseExpr() {
    ExprPtr left = ParseAnd();
    while (IsWord("or")) {
      auto e = std::make_shared<Expr>();
      e->kind = Expr::Kind::kOr;
      e->at = Peek().at;
      ++pos_;
      e->children = {left, ParseAnd()};
      left = e;
    }
    return left;
  }
  ExprPtr ParseAnd() {
    ExprPtr left = ParseNot();
    while (IsWord("and")) {
      auto e = std::make_shared<Expr>();
      e->kind = Expr::Kind::kAnd;
      e->at = Peek().at;
      ++pos_;
      e->children = {left, ParseNot()};
      left = e;
    }
    return left;
  }
  ExprPtr ParseNot() {
    if (IsWord("not")) {
      auto e = std::make_shared<Expr>();
      e->kind = Expr::Kind::kNot;
      e->at = Peek().at;
      ++pos_;
      e->children = {ParseNot()};
      return e;
    }
    return ParsePrimary();
  }
  Literal ParseLiteral() {
    const Token& t = Peek();
    Literal lit;
    lit.at = t.at;
    lit.text = t.text;
    if (t.kind == Token::Kind::kNumber) {
      lit.kind = Literal::Kind::kNumber;
      lit.number = std::strtod(t.text.c_str(), nullptr);
    } else if (t.kind == Token::Kind::kString) {
      lit.kind = Literal::Kind::kString;
    } else if (t.kind == Token::Kind::kWord) {
      lit.kind = Literal::Kind::kWord;
    } else {
      Fail(t, "expected a value (a number, a word or a quoted string)");
    }
    ++pos_;
    return lit;
  }
  ExprPtr ParsePrimary() {
    if (AcceptOp("(")) {
      ExprPtr e = ParseExpr();
      ExpectOp(")", "to close the parenthesis");
      return e;
    }
    auto e = std::make_shared<Expr>();
    const Token& col = Peek();
    if (col.kind != Token::Kind::kWord) Fail(col, "expected a column name, 'not' or '('");
    e->at = col.at;
    e->column = col.text;
    ++pos_;
    static const std::pair<const char*, CompareOp> kOps[] = {{"=", CompareOp::kEq}, {"!=", CompareOp::kNe},
                                                             {"<", CompareOp::kLt}, {"<=", CompareOp::kLe},
                                                             {">", CompareOp::kGt}, {">=", CompareOp::kGe}};
    for (const auto& [text, op] : kOps) {
      if (AcceptOp(text)) {
        e->kind = Expr::Kind::kCompare;
        e->op = op;
        e->literals.push_back(ParseLiteral());
        return e;
      }
    }
    if (AcceptWord("under")) {
      e->kind = Expr::Kind::kUnder;
      e->category = Name("a category key after 'under'", &e->category_at);
    } else if (AcceptWord("contains")) {
      e->kind = Expr::Kind::kContains;
      e->literals.push_back(ParseLiteral());
    } else if (AcceptWord("in")) {
      e->kind = Expr::Kind::kIn;
      ExpectOp("(", "after 'in'");
      do {
        e->literals.push_back(ParseLiteral());
      } while (AcceptOp(","));
      ExpectOp(")", "to close the list of values");
    } else if (AcceptWord("is")) {
      e->kind = Expr::Kind::kMissing;
      if (AcceptWord("present")) {
        e->negated = true;
      } else {
        ExpectWord("missing", "or 'present' after 'is'");
      }
    } else {
      Fail(Peek(), "expected a comparison after '" + col.text +
                       "' (=, !=, <, <=, >, >=, under, contains, in, is missing, is present)");
    }
    return e;
  }

  std::string name_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

core::Result<std::vector<Statement>> ParseScript(const std::string& name, const std::string& text) {
  auto tokens = Lex(name, text);
  if (!tokens.ok()) return tokens.status();
  Parser parser(name, tokens.take());
  try {
    return parser.Script();
  } catch (const ParseError& e) {
    return core::Status::Error(e.message);
  }
}

core::Result<ExprPtr> ParseFilter(const std::string& name, const std::string& text) {
  auto tokens = Lex(name, text);
  if (!tokens.ok()) return tokens.status();
  Parser parser(name, tokens.take());
  try {
    return parser.LoneFilter();
  } catch (const ParseError& e) {
    return core::Status::Error(e.message);
  }
}

}  // namespace blastmap::query::lang
