// The documented status changes of a machine (M::StatusChanges(), from
// model/<m>/status_changes.def) held against the status changes an
// exploration saw: which documented change the model reaches, which it does
// not (a model bug or a finding about the documents), and which changes the
// model makes that no document lists. Used by `haspec explore` (report) and
// `haspec diagram` (solid edges are the documented changes).
//
//   ExploreReport<Dsm> r = Explore<Dsm>(config);
//   for (const ChangeReach& c : DocumentedChangeReach<Dsm>(r.graph))
//     if (!c.reached && IsDocumented(*c.change)) ...   // a documented change never made
//   ListedAs<Dsm>(from, to)   // kDocumented, kAssumed or kUnlisted
#ifndef HASPEC_ENGINE_STATUS_CHANGES_H_
#define HASPEC_ENGINE_STATUS_CHANGES_H_

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/explore.h"
#include "model/core/machine.h"

namespace haspec {

// The index in M::Statuses() of the status named `name`; a name that is not
// there is a bug in the machine's status_changes.def (the catalogue test
// names it first).
template <Machine M>
std::size_t StatusIndex(std::string_view name) {
  const auto statuses = M::Statuses();
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (statuses[i].name == name) return i;
  }
  throw std::logic_error(std::string(M::kName) + ": status_changes.def names an unknown status " +
                         std::string(name));
}

// One documented change and whether the exploration made it.
struct ChangeReach {
  const StatusChange* change = nullptr;
  std::size_t from = 0, to = 0;  // indices into Statuses()
  bool reached = false;
  std::uint64_t ops = 0;  // op types that made it (bit = variant index)
};

template <Machine M>
std::vector<ChangeReach> DocumentedChangeReach(const StatusGraph& g) {
  std::vector<ChangeReach> out;
  for (const StatusChange& c : M::StatusChanges()) {
    ChangeReach r;
    r.change = &c;
    r.from = StatusIndex<M>(c.from);
    r.to = StatusIndex<M>(c.to);
    const std::size_t cell = r.from * g.k + r.to;
    r.ops = g.documented_ops[cell] | g.assumed_ops[cell];
    r.reached = r.ops != 0;
    out.push_back(r);
  }
  return out;
}

// How the documents list the change from status `from` to status `to`.
enum class ChangeListing : std::uint8_t {
  kDocumented,  // a seed or [REAL] dossier basis
  kAssumed,     // listed, on a [RECON] basis (an assumption)
  kUnlisted,    // the model makes it; no document describes it
};

template <Machine M>
ChangeListing ListedAs(std::size_t from, std::size_t to) {
  ChangeListing out = ChangeListing::kUnlisted;
  const auto statuses = M::Statuses();
  for (const StatusChange& c : M::StatusChanges()) {
    if (statuses[from].name != c.from || statuses[to].name != c.to) continue;
    if (IsDocumented(c)) return ChangeListing::kDocumented;
    out = ChangeListing::kAssumed;
  }
  return out;
}

inline std::string_view ToString(ChangeListing l) {
  switch (l) {
    case ChangeListing::kDocumented:
      return "documented";
    case ChangeListing::kAssumed:
      return "assumed";
    case ChangeListing::kUnlisted:
      return "unlisted";
  }
  return "?";
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_STATUS_CHANGES_H_
