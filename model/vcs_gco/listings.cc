#include "model/vcs_gco/listings.h"

#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "model/core/parse_error.h"

namespace haspec::vcs_gco {
namespace {

constexpr std::string_view kEngineDown = "VCS ERROR V-16-1-10600 Cannot connect to VCS engine";

std::string Pad(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t b = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

bool HasLower(std::string_view s) {
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return true;
  }
  return false;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string Joined(const std::vector<std::string_view>& f, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < f.size(); ++i) {
    if (i > from) out += ' ';
    out += f[i];
  }
  return out;
}

// Splits text into lines, dropping a trailing '\r' from each.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  while (b <= text.size()) {
    std::size_t e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(b, e - b);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (e == text.size()) break;
    b = e + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

enum class Section { kNone, kHaclus, kHeartbeats, kRemote, kHahb, kOther };

class BlockParser {
 public:
  BlockParser(const Nodes& names, int cluster, int first_line)
      : names_(names), self_(cluster), first_line_(first_line) {}

  ClusterReport Parse(std::string_view text) {
    std::vector<std::string_view> lines = Lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      Line(lines[i], first_line_ + static_cast<int>(i));
    }
    if (silent_line_) {
      report_.reporting = false;
    } else if (answered_) {
      report_.reporting = true;  // HAD printed something: it answered
    }
    return report_;
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& problem) const {
    throw ParseError("line " + std::to_string(line), problem);
  }

  int Cluster(std::string_view name, int line) const {
    auto c = names_.Find(name);
    if (!c) {
      Fail(line,
           "unknown cluster \"" + std::string(name) + "\" (expected " + names_.Choices() + ")");
    }
    return *c;
  }

  int Remote(std::string_view name, int line, std::string_view what) const {
    int c = Cluster(name, line);
    if (c == self_) {
      Fail(line, std::string(what) + " names " + names_.Name(c) +
                     ", the cluster this listing comes from; only remote clusters belong here");
    }
    return c;
  }

  void Line(std::string_view line, int n) {
    std::vector<std::string_view> f = Fields(line);
    if (f.empty()) return;
    if (line.find("V-16-1-10600") != std::string_view::npos) {
      if (data_line_) {
        Fail(n, "\"Cannot connect to VCS engine\" after state rows (line " +
                    std::to_string(data_line_) + ")");
      }
      silent_line_ = n;
      return;
    }
    if (silent_line_) {
      Fail(n, "state rows after \"Cannot connect to VCS engine\" (line " +
                  std::to_string(silent_line_) + ")");
    }
    answered_ = true;
    if (f[0] == "--") {
      std::string title = Joined(f, 1);
      if (title.empty() || HasLower(title)) return;  // column headings
      if (title == "WAN HEARTBEAT STATE") {
        section_ = Section::kHeartbeats;
      } else if (title == "REMOTE CLUSTER STATE") {
        section_ = Section::kRemote;
      } else {
        section_ = Section::kOther;
      }
      return;
    }
    if (f[0][0] == '#') {
      if (EqualsIgnoreCase(f[0], "#Cluster")) {
        section_ = Section::kHaclus;
      } else if (EqualsIgnoreCase(f[0], "#Heartbeat")) {
        section_ = Section::kHahb;
      } else {
        Fail(n, "unexpected heading \"" + std::string(line) +
                    "\" (expected \"#Cluster Attribute Value\" from haclus -state or "
                    "\"#Heartbeat Cluster State\" from hahb -state)");
      }
      return;
    }
    switch (section_) {
      case Section::kNone:
        Fail(n,
             "row before any heading (expected \"#Cluster Attribute Value\", "
             "\"#Heartbeat Cluster State\" or a \"-- ... STATE\" title first)");
      case Section::kOther:
        return;
      case Section::kHaclus:
        HaclusRow(f, n);
        break;
      case Section::kHeartbeats:
        if (f.size() != 4 || f[0] != "L") {
          Fail(n, "WAN HEARTBEAT STATE row \"" + Joined(f, 0) +
                      "\" is not \"L <heartbeat> <to cluster> <state>\"");
        }
        HeartbeatRow(f[1], f[2], f[3], n, "WAN HEARTBEAT STATE");
        break;
      case Section::kHahb:
        if (f.size() != 3) {
          Fail(n,
               "hahb -state row \"" + Joined(f, 0) + "\" is not \"<heartbeat> <cluster> <state>\"");
        }
        HeartbeatRow(f[0], f[1], f[2], n, "hahb -state");
        break;
      case Section::kRemote:
        if (f.size() != 3 || f[0] != "M") {
          Fail(n,
               "REMOTE CLUSTER STATE row \"" + Joined(f, 0) + "\" is not \"M <cluster> <state>\"");
        }
        SetRemote(Remote(f[1], n, "REMOTE CLUSTER STATE row"), f[2], n, "REMOTE CLUSTER STATE");
        break;
    }
    if (!data_line_) data_line_ = n;
  }

  void HaclusRow(const std::vector<std::string_view>& f, int n) {
    if (f.size() != 3) {
      Fail(n, "haclus row has " + std::to_string(f.size()) +
                  " fields, expected 3 (cluster, attribute, value)");
    }
    if (!EqualsIgnoreCase(f[1], "ClusState")) return;  // other attributes
    int c = Cluster(f[0], n);
    if (c == self_) {
      auto l = kLocalNames.Parse(f[2]);
      if (!l) {
        Fail(n, "unknown ClusState \"" + std::string(f[2]) + "\" for the local cluster (expected " +
                    kLocalNames.Choices() + ")");
      }
      if (local_line_) {
        Fail(n, "second ClusState row for " + names_.Name(c) + " (first on line " +
                    std::to_string(local_line_) + ")");
      }
      report_.local = *l;
      local_line_ = n;
      return;
    }
    SetRemote(c, f[2], n, "haclus -state");
  }

  void SetRemote(int c, std::string_view value, int n, std::string_view where) {
    auto st = kClusterStateNames.Parse(value);
    if (!st) {
      Fail(n, "unknown remote cluster state \"" + std::string(value) + "\" (expected " +
                  kClusterStateNames.Choices() + ")");
    }
    if (remote_line_[c]) {
      if (*report_.remote[c] != *st) {
        Fail(n, names_.Name(c) + " is " + std::string(kClusterStateNames.Name(*st)) + " in " +
                    std::string(where) + " but " +
                    std::string(kClusterStateNames.Name(*report_.remote[c])) + " on line " +
                    std::to_string(remote_line_[c]));
      }
      if (where == remote_where_[c]) {
        Fail(n, "second " + std::string(where) + " row for " + names_.Name(c) + " (first on line " +
                    std::to_string(remote_line_[c]) + ")");
      }
    }
    report_.remote[c] = *st;
    remote_line_[c] = n;
    remote_where_[c] = where;
  }

  void HeartbeatRow(std::string_view hb_name, std::string_view to, std::string_view state, int n,
                    std::string_view where) {
    auto hb = kHeartbeatNames.Parse(hb_name);
    if (!hb) {
      Fail(n, "unknown heartbeat \"" + std::string(hb_name) + "\" (expected " +
                  kHeartbeatNames.Choices() + ")");
    }
    int c = Remote(to, n, std::string(where) + " row");
    auto st = kHbStateNames.Parse(state);
    if (!st) {
      Fail(n, "unknown heartbeat state \"" + std::string(state) + "\" (expected " +
                  kHbStateNames.Choices() + ")");
    }
    const int h = static_cast<int>(*hb);
    int& seen = hb_line_[c][h];
    if (seen) {
      if (*report_.hb[c][h] != *st) {
        Fail(n, "heartbeat " + std::string(kHeartbeatNames.Name(*hb)) + " to " + names_.Name(c) +
                    " is " + std::string(kHbStateNames.Name(*st)) + " in " + std::string(where) +
                    " but " + std::string(kHbStateNames.Name(*report_.hb[c][h])) + " on line " +
                    std::to_string(seen));
      }
      if (where == hb_where_[c][h]) {
        Fail(n, "second row for heartbeat " + std::string(kHeartbeatNames.Name(*hb)) + " to " +
                    names_.Name(c) + " (first on line " + std::to_string(seen) + ")");
      }
    }
    seen = n;
    hb_where_[c][h] = where;
    report_.hb[c][h] = *st;
  }

  const Nodes& names_;
  int self_;
  int first_line_;
  Section section_ = Section::kNone;
  ClusterReport report_;
  int local_line_ = 0;
  int silent_line_ = 0;
  int data_line_ = 0;
  bool answered_ = false;
  std::array<int, kMaxClusters> remote_line_{};
  std::array<std::string_view, kMaxClusters> remote_where_{};
  std::array<std::array<int, kMaxHeartbeats>, kMaxClusters> hb_line_{};
  std::array<std::array<std::string_view, kMaxHeartbeats>, kMaxClusters> hb_where_{};
};

// "==> clus1 <==" gives clus1's index; any other "==>" line throws; other
// lines -1.
int BlockHeader(std::string_view line, int n, const Nodes& names) {
  std::vector<std::string_view> f = Fields(line);
  if (f.empty() || f[0] != "==>") return -1;
  if (f.size() != 3 || f[2] != "<==") {
    throw ParseError("line " + std::to_string(n),
                     "block header \"" + std::string(line) + "\" is not \"==> <cluster> <==\"");
  }
  auto c = names.Find(f[1]);
  if (!c) {
    throw ParseError("line " + std::to_string(n), "unknown cluster \"" + std::string(f[1]) +
                                                      "\" in block header (expected " +
                                                      names.Choices() + ")");
  }
  return *c;
}

}  // namespace

std::string PrintClusterReport(const Nodes& names, int cluster, const ClusterReport& r) {
  if (r.reporting && !*r.reporting) return std::string(kEngineDown) + "\n";
  std::string out;
  auto section = [&](std::string_view text) {
    if (!out.empty()) out += "\n";
    out += text;
  };
  if (r.local) {
    section(Pad("#Cluster", 17) + Pad("Attribute", 21) + "Value\n");
    out += Pad(names.Name(cluster), 17) + Pad("ClusState", 21) +
           std::string(kLocalNames.Name(*r.local)) + "\n";
  }
  std::string hb_rows;
  for (int c = 0; c < kMaxClusters; ++c) {
    for (int h = 0; h < kMaxHeartbeats; ++h) {
      if (!r.hb[c][h]) continue;
      hb_rows += "L  " + Pad(kHeartbeatNames.Name(static_cast<Heartbeat>(h)), 16) +
                 Pad(names.Name(c), 21) + std::string(kHbStateNames.Name(*r.hb[c][h])) + "\n";
    }
  }
  if (!hb_rows.empty()) {
    section("-- WAN HEARTBEAT STATE\n-- " + Pad("Heartbeat", 16) + Pad("To", 21) + "State\n\n" +
            hb_rows);
  }
  std::string remote_rows;
  for (int c = 0; c < kMaxClusters; ++c) {
    if (!r.remote[c]) continue;
    remote_rows +=
        "M  " + Pad(names.Name(c), 16) + std::string(kClusterStateNames.Name(*r.remote[c])) + "\n";
  }
  if (!remote_rows.empty()) {
    section("-- REMOTE CLUSTER STATE\n-- " + Pad("Cluster", 16) + "State\n\n" + remote_rows);
  }
  // A block with nothing but "HAD answers" still needs a line saying so.
  if (out.empty() && r.reporting) section(Pad("#Cluster", 17) + Pad("Attribute", 21) + "Value\n");
  return out;
}

ClusterReport ParseClusterReport(std::string_view text, const Nodes& names, int cluster,
                                 int first_line) {
  return BlockParser(names, cluster, first_line).Parse(text);
}

std::string PrintObservationText(const Observation& o, const Nodes& names) {
  std::string out;
  for (int c = 0; c < kMaxClusters; ++c) {
    if (o.clusters[c] == ClusterReport{}) continue;
    if (!out.empty()) out += "\n";
    out += "==> " + names.Name(c) + " <==\n" + PrintClusterReport(names, c, o.clusters[c]);
  }
  return out;
}

Observation ParseObservationText(std::string_view text, const Nodes& names) {
  Observation o;
  std::vector<int> header_line(names.size(), 0);
  std::vector<std::string_view> lines = Lines(text);
  int current = -1;
  std::size_t block_begin = 0;
  auto flush = [&](std::size_t end) {
    if (current < 0) return;
    std::string block;
    for (std::size_t i = block_begin; i < end; ++i) {
      block += lines[i];
      block += '\n';
    }
    o.clusters[current] =
        ParseClusterReport(block, names, current, static_cast<int>(block_begin) + 1);
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    int c = BlockHeader(lines[i], n, names);
    if (c < 0) {
      if (current < 0 && !Fields(lines[i]).empty()) {
        throw ParseError("line " + std::to_string(n),
                         "text before the first \"==> <cluster> <==\" block header");
      }
      continue;
    }
    if (c >= kMaxClusters) {
      throw ParseError(
          "line " + std::to_string(n),
          "cluster " + names.Name(c) + " is beyond the model's " + std::to_string(kMaxClusters));
    }
    if (header_line[c]) {
      throw ParseError("line " + std::to_string(n), "second block for " + names.Name(c) +
                                                        " (first on line " +
                                                        std::to_string(header_line[c]) + ")");
    }
    flush(i);
    header_line[c] = n;
    current = c;
    block_begin = i + 1;
  }
  flush(lines.size());
  return o;
}

}  // namespace haspec::vcs_gco
