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
//   #Heartbeat       Cluster              State          <- hahb -state
//   Icmp             clus1                HBALIVE
//
// A whole observation is one such block per cluster, each introduced by a
// "==> clus0 <==" line (the header `tail` prints for several files). A
// cluster whose HAD is down prints the engine's real refusal,
// "VCS ERROR V-16-1-10600 Cannot connect to VCS engine".
//
// Every part is optional and the result is a partial observation: a fact no
// row shows is "not seen", never carried over from elsewhere (a cluster
// without a block, a section left out, a row missing). Two rows for one fact
// must agree (haclus -state and REMOTE CLUSTER STATE; WAN HEARTBEAT STATE
// and hahb -state). Input is lenient where the product varies: state names
// in any case (the seed's running, the CLI's RUNNING), heartbeat states with
// or without the HB prefix, other hastatus sections (SYSTEM STATE, GROUP
// STATE, ...) and other haclus attributes skipped. Output always uses the
// upper-case names of model/vcs_gco/vcs_gco.h and prints only seen facts.
//
//   const Nodes& names = config.nodes;
//   std::string text = PrintObservationText(VcsGco::Observe(s), names);
//   Observation o = ParseObservationText(text, names);   // throws ParseError("line 7", ...)
#ifndef HASPEC_MODEL_VCS_GCO_LISTINGS_H_
#define HASPEC_MODEL_VCS_GCO_LISTINGS_H_

#include <string>
#include <string_view>

#include "model/core/nodes.h"
#include "model/vcs_gco/vcs_gco.h"

namespace haspec::vcs_gco {

// One cluster's block (without the "==>" line); only the seen facts.
std::string PrintClusterReport(const Nodes& names, int cluster, const ClusterReport& r);

// Parses the block of cluster `cluster`. Line numbers in errors start at
// `first_line` (the block's first line in a larger file). Throws ParseError
// with where = "line N".
ClusterReport ParseClusterReport(std::string_view text, const Nodes& names, int cluster,
                                 int first_line = 1);

// Every cluster's block that has something seen, in cluster order.
std::string PrintObservationText(const Observation& o, const Nodes& names);

// Parses blocks introduced by "==> <cluster> <==" lines; a cluster appears
// at most once; a cluster without a block is not seen at all.
Observation ParseObservationText(std::string_view text, const Nodes& names);

}  // namespace haspec::vcs_gco

#endif  // HASPEC_MODEL_VCS_GCO_LISTINGS_H_
