// The YAML/JSON document tree (importers/yaml_tree.h) and its Field cursor (importers/yaml_source.h):
// scalar resolution, positions, anchors, tags, guards, multi-document streams and syntax errors.
#include "importers/yaml_tree.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "importers/yaml_source.h"

namespace blastmap::importers {
namespace {

const std::string kFile = "t.yaml";

// The documents of `text`, or nothing; `error` gets the first message ("" when none).
std::vector<YamlDocumentPtr> Parse(const std::string& text, std::string* error = nullptr, bool json = false) {
  Diagnostics diag;
  auto docs = ParseDocuments(kFile, text, json, diag);
  std::string message = diag.ToStatus().ok() ? "" : diag.ToStatus().message();
  if (error) *error = message;
  return docs.value_or(std::vector<YamlDocumentPtr>{});
}

std::string ErrorIn(const std::string& text, bool json = false) {
  std::string error;
  Parse(text, &error, json);
  return error;
}

Field Root(const YamlDocumentPtr& doc) { return Field(&kFile, doc); }

std::string Where(const Field& f) {
  return std::to_string(f.where().line) + ":" + std::to_string(f.where().col);
}

}  // namespace

TEST_CASE("yaml tree: plain and quoted scalars resolve as before (null only when plain)") {
  auto docs = Parse(
      "a: 123\nb: \"123\"\nc: yes\nd: null\ne: \"null\"\nf: ~\ng:\nh: ''\ni: true\nj: 'x y'\nk: |\n  line\n");
  REQUIRE(docs.size() == 1);
  Field root = Root(docs[0]);
  Diagnostics diag;
  CHECK(root.Get("a")->Integer("a", diag) == 123);
  CHECK_FALSE(root.Get("a")->node().quoted);
  CHECK(root.Get("b")->IsScalar());
  CHECK(root.Get("b")->node().quoted);
  CHECK(root.Get("b")->String("b", diag) == "123");
  CHECK(root.Get("c")->String("c", diag) == "yes");
  CHECK_FALSE(root.Get("c")->Boolean("c", diag).has_value());  // YAML 1.1 'yes' is not a boolean here
  CHECK(root.Get("d")->IsNull());
  CHECK(root.Get("e")->IsScalar());
  CHECK(root.Get("e")->String("e", diag) == "null");
  CHECK(root.Get("f")->IsNull());
  CHECK(root.Get("g")->IsNull());
  CHECK(root.Get("h")->IsScalar());
  CHECK(root.Get("h")->String("h", diag) == "");
  CHECK(root.Get("i")->Boolean("i", diag) == true);
  CHECK(root.Get("j")->String("j", diag) == "x y");
  CHECK(root.Get("k")->String("k", diag) == "line\n");
  CHECK(root.Get("k")->node().quoted);
  CHECK_FALSE(root.Get("zz").has_value());
  CHECK(root.Get("g")->Describe() == "nothing");
  CHECK(diag.ToStatus().message() == "t.yaml:3:4: c: expected true or false, found 'yes'");
}

TEST_CASE("yaml tree: positions are 1-based line and byte column in the whole file") {
  SUBCASE("block and flow collections") {
    auto docs = Parse("top:\n  - id: web\n    flows: [{to: v, categories: [a, b]}]\n");
    Field root = Root(docs.at(0));
    CHECK(Where(root) == "1:1");
    Field list = *root.Get("top");
    CHECK(Where(list) == "2:3");
    Diagnostics diag;
    Field item = list.Items("top", diag).at(0);
    CHECK(Where(item) == "2:5");
    CHECK(Where(*item.Get("id")) == "2:9");
    Field flows = *item.Get("flows");
    CHECK(Where(flows) == "3:12");
    Field flow = flows.Items("flows", diag).at(0);
    CHECK(Where(flow) == "3:13");
    std::vector<core::Provenance> at;
    CHECK(flow.Get("categories")->StringList("c", diag, &at) == std::vector<std::string>{"a", "b"});
    REQUIRE(at.size() == 2);
    CHECK(at[1].line == 3);
    CHECK(at[1].col == 37);
  }
  SUBCASE("UTF-8 before a value counts its bytes, like the text checks") {
    auto ok = Parse("a: é\nb: {k: 'ü', n: 1}\n");
    Field b = *Root(ok.at(0)).Get("b");
    CHECK(Where(*b.Get("n")) == "2:17");  // the value 1: 16th character, 17th byte (ü is two)
  }
  SUBCASE("CRLF line ends and a byte-order mark") {
    auto docs = Parse(
        "\xEF\xBB\xBF"
        "a: 1\r\nb:\r\n  c: 2\r\n");
    Field root = Root(docs.at(0));
    CHECK(Where(root) == "1:1");
    CHECK(Where(*root.Get("b")->Get("c")) == "3:6");
  }
}

TEST_CASE("yaml tree: anchors and aliases share the node; '<<' is an ordinary key") {
  auto docs = Parse("base: &b [x, y]\nuse: *b\nm: &m {k: v}\nmerged:\n  <<: *m\n");
  Field root = Root(docs.at(0));
  Diagnostics diag;
  CHECK(root.Get("use")->StringList("use", diag) == std::vector<std::string>{"x", "y"});
  CHECK(Where(*root.Get("use")) == "1:7");  // the anchored node's own place
  CHECK(root.Get("merged")->ExpectMap("merged", {"k"}, diag));
  CHECK(diag.ToStatus().message() == "t.yaml:5:3: merged: unknown key '<<'");
}

TEST_CASE("yaml tree: the alias guards") {
  CHECK(ErrorIn("a: &a [1, *a]\n") ==
        "t.yaml:1:11: an alias inside the node its anchor names (a cycle); blastmap cannot read it");
  CHECK(ErrorIn("a: 1\nb: *nope\n") ==
        "t.yaml:2:4: invalid YAML: the alias *nope names no anchor defined before it");
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  std::string error = ErrorIn(bomb);
  CHECK(error.find("aliases expand the file to more than " + std::to_string(1'000'000 + 2 * bomb.size()) +
                   " nodes (an alias bomb?)") != std::string::npos);
  CHECK(error.rfind("t.yaml:6:", 0) == 0);  // 10^6 nodes are passed inside 'f'
}

TEST_CASE("yaml tree: only YAML's core tags") {
  auto docs = Parse("a: !!str 123\nb: !!int 4\nc: ! x\n");
  Field root = Root(docs.at(0));
  CHECK(root.Get("a")->IsScalar());
  CHECK(root.Get("a")->node().tag == "tag:yaml.org,2002:str");
  CHECK(ErrorIn("a:\n  - !!python/object:os.system x\n") ==
        "t.yaml:2:5: the YAML tag '!!python/object:os.system' is not supported; blastmap reads plain values");
  CHECK(ErrorIn("a: !custom {b: 1}\n") ==
        "t.yaml:1:4: the YAML tag '!custom' is not supported; blastmap reads plain values");
}

TEST_CASE("yaml tree: nesting is bounded at the collection that goes too deep") {
  std::string deep(kMaxYamlDepth, '[');
  CHECK(ErrorIn(deep + std::string(kMaxYamlDepth, ']') + "\n") == "");
  CHECK(ErrorIn("\n" + deep + "[" + std::string(kMaxYamlDepth + 1, ']') + "\n") ==
        "t.yaml:2:" + std::to_string(kMaxYamlDepth + 1) + ": invalid YAML: nesting deeper than " +
            std::to_string(kMaxYamlDepth) + " levels");
}

TEST_CASE("yaml tree: syntax errors say what and where, with the construct they are in") {
  CHECK(ErrorIn("a:\n\t- b\n") ==
        "t.yaml:2:1: invalid YAML: found character that cannot start any token; a tab cannot indent YAML "
        "(use spaces)");
  CHECK(ErrorIn("a: [1, 2\nb: 3\n") ==
        "t.yaml:2:2: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that "
        "starts at 1:4)");
  // The construct's start is behind the error: its column is counted in bytes too ('é' is two).
  CHECK(ErrorIn("\xC3\xA9: [1,\n  2,\n  3\nb: 3\n") ==
        "t.yaml:4:2: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that "
        "starts at 1:5)");
  CHECK(ErrorIn("\"x\" , y\n") ==
        "t.yaml:1:5: invalid YAML: unexpected text after the document's value (a new document starts with a "
        "'---' line)");
  CHECK(ErrorIn("a: 1\n  b: 2\n") ==
        "t.yaml:2:4: invalid YAML: mapping values are not allowed in this context");
  // A tab inside a line (not indenting) is fine.
  CHECK(ErrorIn("a:\tb\nc: 'x\ty'\n") == "");
}

TEST_CASE("yaml tree: multi-document streams hand documents over one at a time") {
  const std::string text = "a: 1\n---\nb: 2\n--- \n---\nc: [3]\n";
  std::vector<int> lines;
  std::weak_ptr<const YamlDocument> previous;
  bool previous_freed = true;
  Diagnostics diag;
  bool ok = ForEachDocument(kFile, text, false, diag, [&](YamlDocumentPtr doc) {
    previous_freed = previous_freed && previous.expired();
    previous = doc;
    lines.push_back(doc->root().line);
  });
  CHECK(ok);
  CHECK(previous_freed);  // each tree was gone before the next was handed over
  CHECK(lines == std::vector<int>{1, 3, 5, 6});
  auto docs = Parse(text);
  REQUIRE(docs.size() == 4);
  CHECK(Root(docs[2]).IsNull());  // an empty document
  CHECK(Where(*Root(docs[3]).Get("c")) == "6:4");
  SUBCASE("an error in a later document keeps its line in the file and stops there") {
    std::vector<int> seen;
    Diagnostics d;
    CHECK_FALSE(ForEachDocument(kFile, "a: 1\n---\nb: [\n", false, d,
                                [&](YamlDocumentPtr doc) { seen.push_back(doc->root().line); }));
    CHECK(seen == std::vector<int>{1});
    CHECK(d.ToStatus().message().rfind("t.yaml:4:1: invalid YAML: ", 0) == 0);
  }
  CHECK(Parse("").empty());
  CHECK(Parse("# only a comment\n").empty());
}

TEST_CASE("yaml tree: JSON is checked strictly, then read into the same tree") {
  std::string error;
  auto docs = Parse("{\"a\": [1, \"2\"], \"b\": {\"c\": null}}", &error, true);
  CHECK(error == "");
  REQUIRE(docs.size() == 1);
  Field root = Root(docs[0]);
  Diagnostics diag;
  CHECK(root.Get("a")->Items("a", diag).at(1).node().quoted);
  CHECK(root.Get("b")->Get("c")->IsNull());
  CHECK(Where(*root.Get("b")->Get("c")) == "1:28");
  CHECK(ErrorIn("{\"a\": 1,}", true).rfind("t.yaml:1:9: invalid JSON: ", 0) == 0);
}

TEST_CASE("yaml tree: duplicate keys stay, in order, for ExpectMap to report") {
  auto docs = Parse("id: a\nname: x\nid: b\n");
  Field root = Root(docs.at(0));
  Diagnostics diag;
  CHECK(root.ExpectMap("vendor", {"id", "name"}, diag));
  CHECK(diag.ToStatus().message() == "t.yaml:3:1: vendor: key 'id' appears twice");
  CHECK(root.Get("id")->String("id", diag) == "a");
  CHECK(root.size() == 3);
  CHECK(root.Key(2).node().text == "id");
}

TEST_CASE("a YAML tree node is 56 bytes (no padding: a hub file's tree is millions of nodes)") {
  CHECK(sizeof(YamlNode) <= 56);
}

}  // namespace blastmap::importers
