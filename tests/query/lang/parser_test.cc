// The query language's lexer and parser: every construct, and every error with its line and column.
#include "query/lang/parser.h"

#include <doctest/doctest.h>

#include "query/lang/lexer.h"

namespace blastmap::query::lang {
namespace {

std::vector<Statement> Parse(const std::string& text) {
  auto r = ParseScript("q", text);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return r.take();
}

std::string Error(const std::string& text) {
  auto r = ParseScript("q", text);
  REQUIRE(!r.ok());
  return r.status().message();
}

}  // namespace

TEST_CASE("the lexer splits words with dots and dashes, numbers, strings and operators, with columns") {
  auto r = Lex("q", "a.b-c->d >= 0.5 'x y' # comment\n  != ,");
  REQUIRE(r.ok());
  const auto& t = r.value();
  REQUIRE(t.size() == 9);
  CHECK(t[0].text == "a.b-c");
  CHECK(t[1].text == "->");
  CHECK(t[1].at.col == 6);
  CHECK(t[2].text == "d");
  CHECK(t[3].text == ">=");
  CHECK(t[4].kind == Token::Kind::kNumber);
  CHECK(t[5].kind == Token::Kind::kString);
  CHECK(t[5].text == "x y");
  CHECK(t[6].text == "!=");
  CHECK(t[6].at.line == 2);
  CHECK(t[6].at.col == 3);
  CHECK(t[8].kind == Token::Kind::kEnd);
}

TEST_CASE("lexer errors name the line and column") {
  CHECK(Lex("q", "vendors where name = 'open").status().message() ==
        "q:1:22: unterminated string (close it with ')");
  CHECK(Lex("q", "vendors\n  where tier = 2$").status().message() == "q:2:17: unexpected character '$'");
  CHECK(Lex("q", "blast 3com").status().message().rfind("q:1:7: a number cannot run into a word", 0) == 0);
}

TEST_CASE("node selections: kind, where with and/or/not and every comparison, order, limit, show") {
  auto s = Parse(
      "vendors where (tier <= 2 or not dpa is present) and held under user.contact and role in (crm, 'ai') "
      "and certifications contains SOC2 and name != x and depth > 1 and notice_hours >= 24 and tier < 4 "
      "and country = US order by name desc limit 3 show id, name");
  REQUIRE(s.size() == 1);
  const Query& q = *s[0].query;
  CHECK(q.source == Query::Source::kNodes);
  CHECK(q.kind == core::NodeKind::kVendor);
  REQUIRE(q.where);
  CHECK(q.where->kind == Expr::Kind::kAnd);
  CHECK(q.order_by == "name");
  CHECK(q.descending);
  CHECK(q.limit == 3);
  CHECK(q.show == std::vector<std::string>{"id", "name"});
  // The leftmost test is the deepest: ((((... and ...) ...).
  const Expr* e = q.where.get();
  while (e->kind == Expr::Kind::kAnd) e = e->children[0].get();
  CHECK(e->kind == Expr::Kind::kOr);
  CHECK(e->children[0]->kind == Expr::Kind::kCompare);
  CHECK(e->children[0]->op == CompareOp::kLe);
  CHECK(e->children[1]->kind == Expr::Kind::kNot);
  CHECK(e->children[1]->children[0]->kind == Expr::Kind::kMissing);
  CHECK(e->children[1]->children[0]->negated);
  CHECK(Parse("systems")[0].query->kind == core::NodeKind::kSystem);
  CHECK(!Parse("nodes")[0].query->kind.has_value());
}

TEST_CASE("blast, rank, who holds, who exposes and paths parse with their options") {
  auto s = Parse(
      "blast mixpanel, segment nodes with min likelihood 0.5, max depth 2;"
      "rank vendors by records with max depth 1 limit 5\n"
      "who holds user.contact.email\n"
      "who exposes user.financial\n"
      "paths from (vendors where role = analytics) to snowflake via flows max length 4\n"
      "count vendors");
  REQUIRE(s.size() == 6);
  CHECK(s[0].query->seeds == std::vector<std::string>{"mixpanel", "segment"});
  CHECK(s[0].query->blast_nodes);
  CHECK(s[0].query->blast.min_likelihood == doctest::Approx(0.5));
  CHECK(s[0].query->blast.max_depth == 2);
  CHECK(s[1].query->source == Query::Source::kRank);
  CHECK(s[1].query->metric == "records");
  CHECK(s[1].query->limit == 5);
  CHECK(s[2].query->source == Query::Source::kWhoHolds);
  CHECK(s[2].query->category == "user.contact.email");
  CHECK(s[3].query->source == Query::Source::kWhoExposes);
  CHECK(s[4].query->from.query != nullptr);
  CHECK(s[4].query->to.id == "snowflake");
  CHECK(s[4].query->paths.edges == PathEdges::kFlows);
  CHECK(s[4].query->paths.max_length == 4);
  CHECK(s[5].count);
  CHECK(s[4].text == "paths from (vendors where role = analytics) to snowflake via flows max length 4");
}

TEST_CASE("what-if edits before a query") {
  auto s = Parse(
      "what if remove vendor segment, remove flow a -> b, remove access okta -> app, drop user.name from "
      "a->b,"
      " pseudonymise user.unique_id on a -> b, replace user.name with user.unique_id on a -> b,"
      " set likelihood of okta -> app to 0.2,"
      " add vendor crm receiving user.name, user.contact.email from app with admin access to db"
      " then blast mixpanel");
  REQUIRE(s.size() == 1);
  const auto& e = s[0].edits;
  REQUIRE(e.size() == 8);
  CHECK(e[0].kind == Edit::Kind::kRemoveNode);
  CHECK(e[0].node == "segment");
  CHECK(e[1].kind == Edit::Kind::kRemoveFlow);
  CHECK(e[2].kind == Edit::Kind::kRemoveAccess);
  CHECK(e[3].kind == Edit::Kind::kDropCategory);
  CHECK(e[3].from == "a");
  CHECK(e[3].to == "b");
  CHECK(e[4].kind == Edit::Kind::kPseudonymise);
  CHECK(e[5].kind == Edit::Kind::kReplace);
  CHECK(e[5].replacement == "user.unique_id");
  CHECK(e[6].likelihood == doctest::Approx(0.2));
  CHECK(e[7].kind == Edit::Kind::kAddVendor);
  CHECK(e[7].categories.size() == 2);
  CHECK(e[7].privilege == "admin");
  CHECK(e[7].to == "db");
}

TEST_CASE("scripts: comments, optional semicolons, blank input") {
  CHECK(Parse("").empty());
  CHECK(Parse("# only a comment\n;;").empty());
  CHECK(Parse("vendors # all of them\nsystems; nodes;").size() == 3);
}

TEST_CASE("every parse error names its line and column") {
  CHECK(Error("rank vendors limit 3") == "q:1:14: expected 'by' after 'rank vendors', found 'limit'");
  CHECK(Error("vendrs") ==
        "q:1:1: expected a query: vendors, systems, nodes, blast, rank, who holds, who exposes, paths, count "
        "or what "
        "if, found 'vendrs'");
  CHECK(Error("vendors where") == "q:1:14: expected a column name, 'not' or '(', found the end of the query");
  CHECK(
      Error("vendors where tier") ==
      "q:1:19: expected a comparison after 'tier' (=, !=, <, <=, >, >=, under, contains, in, is missing, is "
      "present), found the end of the query");
  CHECK(Error("vendors where tier = ") ==
        "q:1:22: expected a value (a number, a word or a quoted string), found the end of the query");
  CHECK(Error("vendors where (tier = 1") ==
        "q:1:24: expected ')' to close the parenthesis, found the end of the query");
  CHECK(Error("vendors where role in crm") == "q:1:23: expected '(' after 'in', found 'crm'");
  CHECK(Error("vendors where dpa is gone") ==
        "q:1:22: expected 'missing' or 'present' after 'is', found 'gone'");
  CHECK(Error("vendors limit 0") == "q:1:15: expected a limit of at least 1, found '0'");
  CHECK(Error("vendors limit 2.5") == "q:1:15: expected how many rows (a whole number), found '2.5'");
  CHECK(Error("vendors order name") == "q:1:15: expected 'by' after 'order', found 'name'");
  CHECK(Error("vendors show") == "q:1:13: expected a column to show, found the end of the query");
  CHECK(Error("vendors\nblast") == "q:2:6: expected a node id to compromise, found the end of the query");
  CHECK(Error("blast a with speed 3") ==
        "q:1:14: expected an option: 'min likelihood N' or 'max depth N', found 'speed'");
  CHECK(Error("blast a with min likelihood 2") == "q:1:29: expected a likelihood between 0 and 1, found '2'");
  CHECK(Error("rank people by severity") ==
        "q:1:6: expected 'vendors', 'systems' or 'nodes' after 'rank', found 'people'");
  CHECK(Error("who owns x") == "q:1:5: expected 'holds' or 'exposes' after 'who', found 'owns'");
  CHECK(Error("paths a to b") == "q:1:7: expected 'from' after 'paths', found 'a'");
  CHECK(Error("paths from a b") == "q:1:14: expected 'to' after the start of the paths, found 'b'");
  CHECK(Error("paths from a to b via air") ==
        "q:1:23: expected 'flows', 'access' or 'both' after 'via', found 'air'");
  CHECK(Error("paths from (vendors to b") == "q:1:21: expected ')' to close the node selection, found 'to'");
  CHECK(Error("vendors where tier = 1 tier") ==
        "q:1:24: expected ';', a new statement or the end after the query, found 'tier'");
  CHECK(Error("what blast a") == "q:1:6: expected 'if' after 'what', found 'blast'");
  CHECK(Error("what if explode a then vendors") ==
        "q:1:9: expected a what-if edit: remove, drop, pseudonymise, replace, set or add, found 'explode'");
  CHECK(Error("what if remove vendor a vendors") ==
        "q:1:25: expected 'then' after the what-if edits (separate edits with ','), found 'vendors'");
  CHECK(Error("what if drop x a -> b then vendors") ==
        "q:1:16: expected 'from' after the category (drop CATEGORY from A -> B), found 'a'");
  CHECK(Error("what if remove flow a b then vendors") ==
        "q:1:23: expected '->' between the flow's source and target, found 'b'");
  CHECK(Error("what if remove thing a then vendors") ==
        "q:1:16: expected 'vendor', 'system', 'node', 'flow' or 'access' after 'remove', found 'thing'");
  CHECK(Error("what if set likelihood of a -> b to high then vendors") ==
        "q:1:37: expected a likelihood between 0 and 1, found 'high'");
}

TEST_CASE("a lone filter parses for policies and goals, and rejects trailing tokens") {
  auto f = ParseFilter("p", "sensitivity >= restricted and flags contains health");
  REQUIRE(f.ok());
  CHECK(f.value()->kind == Expr::Kind::kAnd);
  CHECK(ParseFilter("p", "tier = 1 2").status().message() ==
        "p:1:10: expected 'and', 'or' or the end of the filter, found '2'");
}

}  // namespace blastmap::query::lang
