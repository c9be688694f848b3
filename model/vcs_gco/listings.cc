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

std::string ClusterChoices() { return "clus0.." + ClusterName(kClusters - 1); }

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

enum class Section { kNone, kHaclus, kHeartbeats, kRemote, kOther };

class BlockParser {
 public:
  BlockParser(int cluster, int first_line) : self_(cluster), first_line_(first_line) {}

  ClusterReport Parse(std::string_view text) {
    std::vector<std::string_view> lines = Lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) Line(lines[i], first_line_ + static_cast<int>(i));
    return Finish();
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& problem) const {
    throw ParseError("line " + std::to_string(line), problem);
  }

  int Cluster(std::string_view name, int line) const {
    int c = ParseClusterName(name);
    if (c < 0) {
      Fail(line, "unknown cluster \"" + std::string(name) + "\" (expected " + ClusterChoices() + ")");
    }
    return c;
  }

  int Remote(std::string_view name, int line, std::string_view what) const {
    int c = Cluster(name, line);
    if (c == self_) {
      Fail(line, std::string(what) + " names " + ClusterName(c) +
                     ", the cluster this listing comes from; only remote clusters belong here");
    }
    return c;
  }

  void Line(std::string_view line, int n) {
    std::vector<std::string_view> f = Fields(line);
    if (f.empty()) return;
    if (line.find("V-16-1-10600") != std::string_view::npos) {
      if (data_line_) Fail(n, "\"Cannot connect to VCS engine\" after state rows (line " +
                                  std::to_string(data_line_) + ")");
      silent_line_ = n;
      return;
    }
    if (silent_line_) {
      Fail(n, "state rows after \"Cannot connect to VCS engine\" (line " +
                  std::to_string(silent_line_) + ")");
    }
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
      if (!EqualsIgnoreCase(f[0], "#Cluster")) {
        Fail(n, "unexpected heading \"" + std::string(line) +
                    "\" (expected \"#Cluster Attribute Value\" from haclus -state)");
      }
      section_ = Section::kHaclus;
      return;
    }
    switch (section_) {
      case Section::kNone:
        Fail(n, "row before any heading (expected \"#Cluster Attribute Value\" or a "
                "\"-- ... STATE\" title first)");
      case Section::kOther:
        return;
      case Section::kHaclus:
        HaclusRow(f, n);
        break;
      case Section::kHeartbeats:
        HeartbeatRow(f, n);
        break;
      case Section::kRemote:
        RemoteRow(f, n);
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
      if (local_line_) Fail(n, "second ClusState row for " + ClusterName(c) + " (first on line " +
                                   std::to_string(local_line_) + ")");
      local_ = *l;
      local_line_ = n;
      return;
    }
    SetRemote(c, f[2], n, "haclus -state");
  }

  void RemoteRow(const std::vector<std::string_view>& f, int n) {
    if (f.size() != 3 || f[0] != "M") {
      Fail(n, "REMOTE CLUSTER STATE row \"" + Joined(f, 0) +
                  "\" is not \"M <cluster> <state>\"");
    }
    SetRemote(Remote(f[1], n, "REMOTE CLUSTER STATE row"), f[2], n, "REMOTE CLUSTER STATE");
  }

  void SetRemote(int c, std::string_view value, int n, std::string_view where) {
    auto st = kClusterStateNames.Parse(value);
    if (!st) {
      Fail(n, "unknown remote cluster state \"" + std::string(value) + "\" (expected " +
                  kClusterStateNames.Choices() + ")");
    }
    if (remote_line_[c]) {
      if (remote_[c] != *st) {
        Fail(n, ClusterName(c) + " is " + std::string(kClusterStateNames.Name(*st)) + " in " +
                    std::string(where) + " but " +
                    std::string(kClusterStateNames.Name(remote_[c])) + " on line " +
                    std::to_string(remote_line_[c]));
      }
      if (where == remote_where_[c]) {
        Fail(n, "second " + std::string(where) + " row for " + ClusterName(c) + " (first on line " +
                    std::to_string(remote_line_[c]) + ")");
      }
    }
    remote_[c] = *st;
    remote_line_[c] = n;
    remote_where_[c] = where;
  }

  void HeartbeatRow(const std::vector<std::string_view>& f, int n) {
    if (f.size() != 4 || f[0] != "L") {
      Fail(n, "WAN HEARTBEAT STATE row \"" + Joined(f, 0) +
                  "\" is not \"L <heartbeat> <to cluster> <state>\"");
    }
    auto hb = kHeartbeatNames.Parse(f[1]);
    if (!hb) {
      Fail(n, "unknown heartbeat \"" + std::string(f[1]) + "\" (expected " +
                  kHeartbeatNames.Choices() + ")");
    }
    int c = Remote(f[2], n, "WAN HEARTBEAT STATE row");
    auto st = kHbStateNames.Parse(f[3]);
    if (!st) {
      Fail(n, "unknown heartbeat state \"" + std::string(f[3]) + "\" (expected " +
                  kHbStateNames.Choices() + ")");
    }
    int& seen = hb_line_[c][static_cast<int>(*hb)];
    if (seen) {
      Fail(n, "second row for heartbeat " + std::string(kHeartbeatNames.Name(*hb)) + " to " +
                  ClusterName(c) + " (first on line " + std::to_string(seen) + ")");
    }
    seen = n;
    report_.hb[c][static_cast<int>(*hb)] = *st;
  }

  ClusterReport Finish() {
    const std::string where = ClusterName(self_) + " block";
    if (silent_line_) return ClusterReport{};
    if (!local_line_) {
      throw ParseError(where, "no ClusState row for " + ClusterName(self_) +
                                  " (add the output of haclus -state), and no \"Cannot connect "
                                  "to VCS engine\" line either");
    }
    report_.reporting = true;
    report_.local = local_;
    for (int r = 0; r < kClusters; ++r) {
      if (r == self_) continue;
      if (!remote_line_[r]) {
        throw ParseError(where, "no state for remote cluster " + ClusterName(r) +
                                    " (expected an \"M " + ClusterName(r) +
                                    " <state>\" row under REMOTE CLUSTER STATE)");
      }
      report_.remote[r] = remote_[r];
      for (int h = 0; h < kHeartbeats; ++h) {
        if (!hb_line_[r][h]) {
          throw ParseError(where, "no WAN HEARTBEAT STATE row for heartbeat " +
                                      std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h))) +
                                      " to " + ClusterName(r));
        }
      }
    }
    return report_;
  }

  int self_;
  int first_line_;
  Section section_ = Section::kNone;
  ClusterReport report_;
  Local local_ = Local::kRunning;
  int local_line_ = 0;
  int silent_line_ = 0;
  int data_line_ = 0;
  std::array<ClusterState, kClusters> remote_{};
  std::array<int, kClusters> remote_line_{};
  std::array<std::string_view, kClusters> remote_where_{};
  std::array<std::array<int, kHeartbeats>, kClusters> hb_line_{};
};

// "==> clus1 <==" gives 1; any other "==>" line throws; other lines -1.
int BlockHeader(std::string_view line, int n) {
  std::vector<std::string_view> f = Fields(line);
  if (f.empty() || f[0] != "==>") return -1;
  if (f.size() != 3 || f[2] != "<==") {
    throw ParseError("line " + std::to_string(n),
                     "block header \"" + std::string(line) + "\" is not \"==> <cluster> <==\"");
  }
  int c = ParseClusterName(f[1]);
  if (c < 0) {
    throw ParseError("line " + std::to_string(n), "unknown cluster \"" + std::string(f[1]) +
                                                      "\" in block header (expected " +
                                                      ClusterChoices() + ")");
  }
  return c;
}

}  // namespace

std::string PrintClusterReport(int cluster, const ClusterReport& r) {
  if (!r.reporting) return std::string(kEngineDown) + "\n";
  std::string out = Pad("#Cluster", 17) + Pad("Attribute", 21) + "Value\n";
  out += Pad(ClusterName(cluster), 17) + Pad("ClusState", 21) + std::string(kLocalNames.Name(r.local)) + "\n";
  out += "\n-- WAN HEARTBEAT STATE\n-- " + Pad("Heartbeat", 16) + Pad("To", 21) + "State\n\n";
  for (int c = 0; c < kClusters; ++c) {
    if (c == cluster) continue;
    for (int h = 0; h < kHeartbeats; ++h) {
      out += "L  " + Pad(kHeartbeatNames.Name(static_cast<Heartbeat>(h)), 16) +
             Pad(ClusterName(c), 21) + std::string(kHbStateNames.Name(r.hb[c][h])) + "\n";
    }
  }
  out += "\n-- REMOTE CLUSTER STATE\n-- " + Pad("Cluster", 16) + "State\n\n";
  for (int c = 0; c < kClusters; ++c) {
    if (c == cluster) continue;
    out += "M  " + Pad(ClusterName(c), 16) + std::string(kClusterStateNames.Name(r.remote[c])) + "\n";
  }
  return out;
}

ClusterReport ParseClusterReport(std::string_view text, int cluster, int first_line) {
  return BlockParser(cluster, first_line).Parse(text);
}

std::string PrintObservationText(const Observation& o) {
  std::string out;
  for (int c = 0; c < kClusters; ++c) {
    if (c) out += "\n";
    out += "==> " + ClusterName(c) + " <==\n" + PrintClusterReport(c, o.clusters[c]);
  }
  return out;
}

Observation ParseObservationText(std::string_view text) {
  Observation o;
  std::array<int, kClusters> header_line{};
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
        ParseClusterReport(block, current, static_cast<int>(block_begin) + 1);
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    int c = BlockHeader(lines[i], n);
    if (c < 0) {
      if (current < 0 && !Fields(lines[i]).empty()) {
        throw ParseError("line " + std::to_string(n),
                         "text before the first \"==> clusN <==\" block header");
      }
      continue;
    }
    if (header_line[c]) {
      throw ParseError("line " + std::to_string(n),
                       "second block for " + ClusterName(c) + " (first on line " +
                           std::to_string(header_line[c]) + ")");
    }
    flush(i);
    header_line[c] = n;
    current = c;
    block_begin = i + 1;
  }
  flush(lines.size());
  for (int c = 0; c < kClusters; ++c) {
    if (!header_line[c]) {
      throw ParseError("", "no \"==> " + ClusterName(c) + " <==\" block (every cluster needs one; "
                           "a cluster whose HAD is down shows \"" + std::string(kEngineDown) + "\")");
    }
  }
  return o;
}

}  // namespace haspec::vcs_gco
