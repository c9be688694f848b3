// jsa's importer (model/jsa/import.cc) on the bundled log
// (traces/jsa/logs/ha-status.log: status lines among syslog lines, one of
// which mentions a status in prose) and on bad input, with planted faults
// (values carried forward, prose read) shown caught.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/jsa/jsa.h"
#include "model/jsa/status_log.h"
#include "properties/core/import_harness.h"

namespace haspec::jsa {
namespace {

using haspec::testing::ConfigFromSource;
using haspec::testing::ImportError;
using haspec::testing::ImportText;
using haspec::testing::kErrorsCarryNames;
using haspec::testing::ReadSource;
using Event = ImportedEvent<Observation>;

const char kLog[] = "traces/jsa/logs/ha-status.log";

Config LogConfig() { return ConfigFromSource<Jsa>("traces/jsa/logs/config.json"); }

std::string Facts(const Event& e) {
  std::string f;
  for (int h = 0; h < kHosts; ++h) {
    if (e.obs.hosts[h].status) {
      f += "+" + std::string(HostName(h)) + "=" +
           std::string(kStatusNames.Name(*e.obs.hosts[h].status));
    }
  }
  if (e.obs.secondary) f += "+secondary";
  if (e.obs.active || e.obs.licensed || e.obs.disk_replication || e.obs.secondary_release) {
    f += "+more";
  }
  return std::to_string(e.line) + " " + f.substr(f.empty() ? 0 : 1);
}

const std::vector<std::string> kExpected = {
    "3 primary=ACTIVE+secondary=STANDBY+secondary",
    "6 primary=FAILED+secondary=ACTIVE+secondary",
    "9 primary=RESTORING",  // the secondary is not seen here, not still Active
    "10 primary=SYNCHRONIZING",
    "11 primary=STANDBY",
    "12 primary=STANDBY",  // the same host twice at one time: two events
    "13 secondary=NEEDS_LICENSE+secondary",
};

std::string Check(const std::vector<Event>& events) {
  for (std::size_t i = 0; i < std::max(events.size(), kExpected.size()); ++i) {
    const std::string g = i < events.size() ? Facts(events[i]) : "(none)";
    const std::string w = i < kExpected.size() ? kExpected[i] : "(none)";
    if (g != w) return "event " + std::to_string(i) + ": got \"" + g + "\", want \"" + w + "\"";
  }
  return "";
}

TEST(JsaImport, StatusLinesGiveOneEventPerTimeWithOnlyTheirStatuses) {
  const Config c = LogConfig();
  haspec::testing::ImportRun run;
  const auto events = ImportText<Jsa>("status-log", ReadSource(kLog), c, {}, kLog, &run);
  EXPECT_EQ(Check(events), "");
  EXPECT_EQ(events[2].t, "2024-05-01T10:31:00.250Z");
  EXPECT_EQ(run.lines_read, 13);
  EXPECT_EQ(run.lines_skipped, 4);
}

TEST(JsaImport, PlantedFaultsAreCaught) {
  const Config c = LogConfig();
  auto events = ImportText<Jsa>("status-log", ReadSource(kLog), c, {}, kLog);
  auto carried = events;
  for (std::size_t i = 1; i < carried.size(); ++i) {
    for (int h = 0; h < kHosts; ++h) {
      if (!carried[i].obs.hosts[h].status) {
        carried[i].obs.hosts[h].status = carried[i - 1].obs.hosts[h].status;
      }
    }
  }
  EXPECT_EQ(Check(carried),
            "event 2: got \"9 primary=RESTORING+secondary=ACTIVE\", want \"9 primary=RESTORING\"");
  // Reading every line with a status word (line 4's prose says "status Failed").
  Event prose;
  prose.line = 4;
  prose.obs.hosts[kPrimary].status = Status::kFailed;
  events.insert(events.begin() + 1, prose);
  EXPECT_NE(Check(events), "");
}

TEST(JsaImport, BadInputNamesTheLineAndTheProblem) {
  const Config c = LogConfig();
  auto expect = [&](const std::string& text, const std::string& want) {
    auto err = ImportError<Jsa>("status-log", text, c);
    ASSERT_TRUE(err) << "no error for: " << text;
    EXPECT_EQ(err->substr(0, want.size()), want) << *err;
  };
  expect("x\n2024-05-01T10:00:00Z host=qradar-pri role=primary\n", "line 2: missing status=");
  expect(
      "2024-05-01T10:00:00Z host=qradar-pri role=primary status=Active\n"
      "2024-05-01T09:00:00Z host=qradar-pri role=primary status=Failed\n",
      "line 2: timestamp 2024-05-01T09:00:00Z is earlier than line 1's");
  expect("2024-05-01T10:00:00Z host=other role=primary status=Active\n",
         "line 1: host \"other\" is not the configured primary \"qradar-pri\"");
  expect("2024-05-01T25:00:00Z host=qradar-pri role=primary status=Active\n",
         "line 1: bad timestamp");
  try {
    ImportText<Jsa>("status-log",
                    "2024-05-01T10:00:00Z host=qradar-pri role=primary status=Zombie\n", c);
    ADD_FAILURE() << "an unknown status passed";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.where(), "line 1");
    EXPECT_EQ(UnknownNameOf(e), kErrorsCarryNames ? "Zombie" : "");
  }
  // Hosts renamed by --node-map.
  std::istringstream in("2024-05-01T10:00:00Z host=qr1 role=primary status=Active\n");
  ImportContext ctx{"x.log", {}, {{"qr1", "qradar-pri"}}};
  auto src = haspec::testing::ImporterNamed<Jsa>("status-log").open(in, ctx, c);
  Event e;
  ASSERT_TRUE(src->Next(e));
  EXPECT_EQ(Facts(e), "1 primary=ACTIVE");
}

TEST(JsaImport, GarbageEndsInEventsOrAParseError) {
  const Config c = LogConfig();
  std::vector<std::string> pieces;
  std::istringstream in(ReadSource(kLog));
  for (std::string l; std::getline(in, l);) pieces.push_back(l);
  haspec::testing::ImportGarbage<Jsa>("status-log", c, pieces, {});
}

}  // namespace
}  // namespace haspec::jsa
