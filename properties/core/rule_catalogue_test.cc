// Every rule of every registered machine carries a checkable basis: a seed
// quote that grep finds, a dossier quote, or an assumption with its reason;
// every status cites the sentence that defines it; every documented status
// change (model/<m>/status_changes.def) names two statuses and cites its
// basis the same way; and every machine's README lists every rule ID and
// carries the current table of status changes.
//
// The documents are looked up in $HASPEC_SOURCES (the seeds folder; default
// ../shared/seeds beside the checkout, the dossier in ../domain beside it).
// Without them the quote checks skip, saying why; the rest still runs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>

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

// The seeds folder, or "" when the documents are not available.
std::string SeedsDir() {
  const char* env = std::getenv("HASPEC_SOURCES");
  std::string dir = env && *env ? env : std::string(HASPEC_SHARED_DIR) + "/seeds";
  return std::filesystem::is_directory(dir) ? dir : "";
}

std::string DossierPath(const std::string& seeds) {
  return (std::filesystem::path(seeds).parent_path() / "domain" / "DOSSIER.md").string();
}

// Whether `quote` (whitespace squashed) is in the document `text`.
bool Quoted(const std::string& text, std::string_view quote) {
  return Squash(text).find(Squash(quote)) != std::string::npos;
}

template <Machine M>
void CheckQuotes(const std::string& seeds) {
  SCOPED_TRACE(std::string(M::kName));
  const std::string dossier = ReadFile(DossierPath(seeds));
  ASSERT_FALSE(dossier.empty()) << "cannot read " << DossierPath(seeds);
  auto check = [&](std::string_view what, BasisKind basis, std::string_view source,
                   std::string_view quote) {
    SCOPED_TRACE(std::string(what));
    switch (basis) {
      case BasisKind::kSeed: {
        std::string seed = ReadFile(seeds + "/" + std::string(source));
        ASSERT_FALSE(seed.empty()) << "cannot read seed " << source;
        EXPECT_TRUE(Quoted(seed, quote)) << "quote \"" << quote << "\" is not in " << source;
        EXPECT_GE(Words(quote), 5) << "quote too short to locate a sentence";
        EXPECT_LE(Words(quote), 12) << "quote longer than a dozen words";
        break;
      }
      case BasisKind::kDossier:
        EXPECT_TRUE(Quoted(dossier, quote)) << "quote \"" << quote << "\" is not in DOSSIER.md";
        EXPECT_NE(dossier.find(std::string(source)), std::string::npos)
            << "source key " << source << " is not in DOSSIER.md";
        EXPECT_GE(Words(quote), 5);
        EXPECT_LE(Words(quote), 12);
        break;
      case BasisKind::kAssumption:
        break;
    }
  };
  for (const Rule& r : M::Rules()) check(r.id, r.basis, r.source, r.quote);
  for (const StatusInfo& st : M::Statuses()) {
    BasisKind b =
        std::string_view(st.source).ends_with(".txt") ? BasisKind::kSeed : BasisKind::kDossier;
    check(std::string("status ") + std::string(st.name), b, st.source, st.quote);
  }
  for (const StatusChange& c : M::StatusChanges()) {
    check("status change " + std::string(c.from) + " -> " + std::string(c.to), c.basis, c.source,
          c.quote);
  }
}

// The status changes name statuses of Statuses(), each pair once, and an
// assumption says where it comes from.
template <Machine M>
void CheckStatusChanges(const std::string& readme) {
  SCOPED_TRACE(std::string(M::kName));
  EXPECT_FALSE(M::StatusChanges().empty()) << "no documented status change";
  std::set<std::pair<std::string_view, std::string_view>> pairs;
  auto known = [](std::string_view name) {
    for (const StatusInfo& s : M::Statuses()) {
      if (s.name == name) return true;
    }
    return false;
  };
  for (const StatusChange& c : M::StatusChanges()) {
    SCOPED_TRACE(std::string(c.from) + " -> " + std::string(c.to));
    EXPECT_TRUE(known(c.from)) << "unknown status " << c.from;
    EXPECT_TRUE(known(c.to)) << "unknown status " << c.to;
    EXPECT_NE(c.from, c.to);
    EXPECT_TRUE(pairs.insert({c.from, c.to}).second) << "listed twice";
    EXPECT_FALSE(c.event.empty());
    if (c.basis == BasisKind::kAssumption) {
      EXPECT_GE(Words(c.quote), 5) << "an assumption states where it comes from";
    } else {
      EXPECT_FALSE(c.source.empty()) << "a documented change names its source";
    }
  }
  if (readme.empty()) return;
  auto b = readme.find(kChangesBegin), e = readme.find(kChangesEnd);
  ASSERT_NE(b, std::string::npos) << "README lacks the changes:begin marker";
  ASSERT_NE(e, std::string::npos) << "README lacks the changes:end marker";
  std::string table = readme.substr(b + kChangesBegin.size(), e - b - kChangesBegin.size());
  EXPECT_EQ(Squash(table), Squash(StatusChangesMarkdown(M::StatusChanges(), M::Statuses())))
      << "model/" << Folder(M::kName) << "/README.md status change table is stale: regenerate "
      << "it with tools/update_rule_tables.sh";
}

template <Machine M>
void CheckCatalogue() {
  SCOPED_TRACE(std::string(M::kName));
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
    if (r.basis == BasisKind::kAssumption) {
      EXPECT_GE(Words(r.quote), 5) << "an assumption states its reason";
    } else {
      EXPECT_FALSE(r.source.empty()) << "a documented rule names its source";
    }
  }
}

TEST(RuleCatalogue, EveryRuleHasACheckableBasis) {
  ForEachMachine([]<Machine M>() { CheckCatalogue<M>(); });
}

TEST(RuleCatalogue, StatusChangesNameStatusesAndAreInTheReadme) {
  ForEachMachine([]<Machine M>() {
    CheckStatusChanges<M>(
        ReadFile(std::string(HASPEC_SOURCE_DIR) + "/model/" + Folder(M::kName) + "/README.md"));
  });
}

TEST(RuleCatalogue, EveryQuoteIsInItsDocument) {
  const std::string seeds = SeedsDir();
  if (seeds.empty()) {
    GTEST_SKIP() << "the seed documents are not here: set HASPEC_SOURCES to the seeds folder "
                    "(default ../shared/seeds beside the checkout) to check every quote";
  }
  ForEachMachine([&]<Machine M>() { CheckQuotes<M>(seeds); });
}

TEST(RuleCatalogue, MachineNamesAreUnique) {
  std::set<std::string_view> names;
  ForEachMachine([&]<Machine M>() { EXPECT_TRUE(names.insert(M::kName).second) << M::kName; });
}

}  // namespace
}  // namespace haspec
