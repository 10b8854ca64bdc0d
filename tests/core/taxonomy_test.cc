#include "core/taxonomy.h"

#include <doctest/doctest.h>

namespace blastmap::core {

namespace {
Category Make(const std::string& key, std::optional<Sensitivity> s = std::nullopt,
              std::optional<uint32_t> flags = std::nullopt) {
  Category c;
  c.key = key;
  c.declared_sensitivity = s;
  c.declared_flags = flags;
  return c;
}
}  // namespace

TEST_CASE("categories inherit sensitivity and flags from the parent unless they override them") {
  Taxonomy t;
  // Added children first: Finalize orders parents before children.
  t.AddCategory(Make("user.financial.credit_card"));
  t.AddCategory(Make("user.financial", Sensitivity::kRestricted, static_cast<uint32_t>(Flag::kFinancial)));
  t.AddCategory(Make("user", Sensitivity::kConfidential));
  t.AddCategory(Make("user.name"));
  t.AddCategory(Make("user.financial.public_price", Sensitivity::kPublic, 0u));
  REQUIRE(t.Finalize().ok());
  CHECK(t.Find("user.name")->sensitivity == Sensitivity::kConfidential);
  CHECK(t.Find("user.financial.credit_card")->sensitivity == Sensitivity::kRestricted);
  CHECK(t.Find("user.financial.credit_card")->flags == static_cast<uint32_t>(Flag::kFinancial));
  CHECK(t.Find("user.financial.public_price")->sensitivity == Sensitivity::kPublic);
  CHECK(t.Find("user.financial.public_price")->flags == 0u);
  CHECK(t.Parent(t.Index("user.financial.credit_card")) == t.Index("user.financial"));
}

TEST_CASE("ancestry answers parent/child questions both ways") {
  Taxonomy t;
  for (const char* k :
       {"user", "user.contact", "user.contact.email", "user.contact.phone_number", "user.name"}) {
    t.AddCategory(Make(k));
  }
  REQUIRE(t.Finalize().ok());
  int user = t.Index("user"), contact = t.Index("user.contact"), email = t.Index("user.contact.email");
  int phone = t.Index("user.contact.phone_number");
  CHECK(t.IsAncestorOrSelf(contact, email));
  CHECK(t.IsAncestorOrSelf(user, email));
  CHECK(t.IsAncestorOrSelf(email, email));
  CHECK_FALSE(t.IsAncestorOrSelf(email, contact));
  CHECK(t.Related(email, contact));
  CHECK_FALSE(t.Related(email, phone));
}

TEST_CASE("a category without its parent is an error naming both") {
  Taxonomy t;
  t.AddCategory(Make("user.contact.email"));
  Status s = t.Finalize();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("'user.contact.email' has no parent category 'user.contact'") != std::string::npos);
}

TEST_CASE("suggestions find near misses only") {
  Taxonomy t;
  for (const char* k : {"user", "user.contact", "user.contact.email"}) t.AddCategory(Make(k));
  REQUIRE(t.Finalize().ok());
  CHECK(t.SuggestCategories("user.contact.emial") == std::vector<std::string>{"user.contact.email"});
  CHECK(t.SuggestCategories("contact.email") == std::vector<std::string>{"user.contact.email"});
  CHECK(t.SuggestCategories("system.operations").empty());
}

}  // namespace blastmap::core
