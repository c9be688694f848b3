// Every rule of every registered machine carries a checkable basis: a seed
// quote that grep finds, a dossier quote, or an assumption with its reason;
// and every machine's README lists every rule ID.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "engine/rule_table.h"
#include "model/registry.h"

namespace haspec {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Collapses runs of whitespace so a quote may cross a line break.
std::string Squash(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

int Words(std::string_view s) {
  std::istringstream is{std::string(s)};
  int n = 0;
  for (std::string w; is >> w;) ++n;
  return n;
}

std::string Folder(std::string_view name) {
  std::string f(name);
  for (char& c : f) c = c == '-' ? '_' : c;
  return f;
}

template <Machine M>
void CheckCatalogue() {
  SCOPED_TRACE(std::string(M::kName));
  const std::string shared = HASPEC_SHARED_DIR;
  const std::string dossier = Squash(ReadFile(shared + "/domain/DOSSIER.md"));
  ASSERT_FALSE(dossier.empty()) << "cannot read " << shared << "/domain/DOSSIER.md";
  const std::string readme =
      ReadFile(std::string(HASPEC_SOURCE_DIR) + "/model/" + Folder(M::kName) + "/README.md");
  EXPECT_FALSE(readme.empty()) << "model/" << Folder(M::kName) << "/README.md is missing";
  if (!readme.empty()) {
    auto b = readme.find(kRulesBegin), e = readme.find(kRulesEnd);
    ASSERT_NE(b, std::string::npos) << "README lacks the rules:begin marker";
    ASSERT_NE(e, std::string::npos) << "README lacks the rules:end marker";
    std::string table = readme.substr(b + kRulesBegin.size(), e - b - kRulesBegin.size());
    EXPECT_EQ(Squash(table), Squash(RulesMarkdown(M::Rules())))
        << "model/" << Folder(M::kName) << "/README.md rule table is stale: regenerate it with "
        << "`haspec rules " << M::kName << " --markdown`";
  }
  std::set<std::string_view> ids;
  const std::regex id_shape("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+");
  for (const Rule& r : M::Rules()) {
    SCOPED_TRACE(std::string(r.id));
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate rule ID " << r.id;
    EXPECT_TRUE(std::regex_match(std::string(r.id), id_shape)) << "rule ID shape: " << r.id;
    EXPECT_FALSE(r.statement.empty());
    EXPECT_EQ(r.statement.find('\n'), std::string_view::npos) << "statement is one line";
    if (!readme.empty()) {
      EXPECT_NE(readme.find(std::string(r.id)), std::string::npos)
          << r.id << " is not in model/" << Folder(M::kName) << "/README.md";
    }
    switch (r.basis) {
      case BasisKind::kSeed: {
        std::string seed = ReadFile(shared + "/seeds/" + std::string(r.source));
        ASSERT_FALSE(seed.empty()) << "cannot read seed " << r.source;
        EXPECT_NE(Squash(seed).find(Squash(r.quote)), std::string::npos)
            << "quote \"" << r.quote << "\" is not in " << r.source;
        EXPECT_GE(Words(r.quote), 5) << "quote too short to locate a sentence";
        EXPECT_LE(Words(r.quote), 12) << "quote longer than a dozen words";
        break;
      }
      case BasisKind::kDossier:
        EXPECT_NE(dossier.find(Squash(r.quote)), std::string::npos)
            << "quote \"" << r.quote << "\" is not in DOSSIER.md";
        EXPECT_NE(dossier.find(std::string(r.source)), std::string::npos)
            << "source key " << r.source << " is not in DOSSIER.md";
        EXPECT_GE(Words(r.quote), 5);
        EXPECT_LE(Words(r.quote), 12);
        break;
      case BasisKind::kAssumption:
        EXPECT_GE(Words(r.quote), 5) << "an assumption states its reason";
        break;
    }
  }
}

TEST(RuleCatalogue, EveryRuleHasACheckableBasis) {
  ForEachMachine([]<Machine M>() { CheckCatalogue<M>(); });
}

TEST(RuleCatalogue, MachineNamesAreUnique) {
  std::set<std::string_view> names;
  ForEachMachine([&]<Machine M>() { EXPECT_TRUE(names.insert(M::kName).second) << M::kName; });
}

}  // namespace
}  // namespace haspec
