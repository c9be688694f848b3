// The text listings a VCS operator reads on each cluster of a global
// cluster, as haspec prints and parses them. Their exact layout is not in any
// public source (DOSSIER.md 1.5 marks it [RECON]), so the format is assumed:
//
//   #Cluster         Attribute            Value          <- haclus -state
//   clus0            ClusState            RUNNING
//
//   -- WAN HEARTBEAT STATE                               <- hastatus -sum
//   -- Heartbeat       To                   State
//
//   L  Icmp            clus1                HBALIVE
//
//   -- REMOTE CLUSTER STATE
//   -- Cluster         State
//
//   M  clus1           RUNNING
//
// A whole observation is one such block per cluster, each introduced by a
// "==> clus0 <==" line (the header `tail` prints for several files). A
// cluster whose HAD is down prints the engine's real refusal,
// "VCS ERROR V-16-1-10600 Cannot connect to VCS engine".
//
// Input is lenient where the product varies: state names in any case (the
// seed's running, the CLI's RUNNING), heartbeat states with or without the
// HB prefix, other hastatus sections (SYSTEM STATE, GROUP STATE, ...) and
// other haclus attributes skipped, and remote clusters' ClusState rows in
// the haclus table accepted if they agree with REMOTE CLUSTER STATE. Output
// always uses the upper-case names of model/vcs_gco/vcs_gco.h.
//
//   std::string text = PrintObservationText(VcsGco::Observe(s));
//   Observation o = ParseObservationText(text);   // throws ParseError("line 7", ...)
#ifndef HASPEC_MODEL_VCS_GCO_LISTINGS_H_
#define HASPEC_MODEL_VCS_GCO_LISTINGS_H_

#include <string>
#include <string_view>

#include "model/vcs_gco/vcs_gco.h"

namespace haspec::vcs_gco {

// One cluster's block (without the "==>" line).
std::string PrintClusterReport(int cluster, const ClusterReport& r);

// Parses the block of cluster `cluster`. Line numbers in errors start at
// `first_line` (the block's first line in a larger file). Throws ParseError
// with where = "line N" (or "clusN block" for something missing).
ClusterReport ParseClusterReport(std::string_view text, int cluster, int first_line = 1);

// Every cluster's block, in cluster order.
std::string PrintObservationText(const Observation& o);

// Parses blocks introduced by "==> clusN <==" lines; every cluster must
// appear exactly once.
Observation ParseObservationText(std::string_view text);

}  // namespace haspec::vcs_gco

#endif  // HASPEC_MODEL_VCS_GCO_LISTINGS_H_
