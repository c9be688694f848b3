// What haspec's fuzz targets (fuzz/) do with the bytes libFuzzer hands them,
// generic over the Machine concept: a target file picks the machine (or a
// planted mutant of it) and calls one of these, nothing more.
//
//   OpSequence<Dsm>(data, size)              model steps through decoded ops;
//                                            every invariant and step rule
//                                            after every accepted step
//   Differential<Dsm>(data, size, reference) the model (documented-only, as
//                                            the gate) against an in-process
//                                            reference implementation
//   CodecRoundTrip<Dsm>(data, size)          observation / state / config JSON
//   OpTraceRoundTrip<Dsm>(data, size)        the op trace reader
//   ReplayTraceRead<Dsm>(data, size)         the trace reader of haspec
//                                            replay: fast path against
//                                            nlohmann, events written back
//
// A finding prints what happened readably on stderr, writes an op trace
// `haspec run` replays (violation-<machine>-<hash>.jsonl, in
// $HASPEC_FUZZ_TRACES or the working directory) where it has ops, and
// aborts, which is how libFuzzer and the replay driver learn of it. Input a
// parser refuses with ParseError (or nlohmann's own exceptions, which every
// caller of a codec catches) is fine; any other exception escapes and is a
// finding too.
//
// The kinds live in their own headers, so that a target includes only what
// it runs (the gate and RapidCheck only for the differential targets):
// engine/fuzz_ops.h, engine/fuzz_diff.h, engine/fuzz_codecs.h,
// engine/fuzz_replay.h, with what they share in engine/fuzz_common.h. This
// header includes them all.
//
// Include only from .cc files: it pulls in nlohmann/json.hpp and the gate.
#ifndef HASPEC_ENGINE_FUZZ_TARGETS_H_
#define HASPEC_ENGINE_FUZZ_TARGETS_H_

#include "engine/fuzz_codecs.h"
#include "engine/fuzz_common.h"
#include "engine/fuzz_diff.h"
#include "engine/fuzz_ops.h"
#include "engine/fuzz_replay.h"

#endif  // HASPEC_ENGINE_FUZZ_TARGETS_H_
