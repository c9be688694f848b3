// The protocol client's reading of an implementation's replies
// (sut/protocol/reply.h): refusals are SutErrors, a reply read writes and
// reads back the same, and a result line's fast reading agrees with a
// whole parse (engine/fuzz_protocol.h).
#include "engine/fuzz_protocol.h"
#include "fuzz/target.h"

HASPEC_FUZZ_TARGET(protocol_reply) { return haspec::fuzz::ProtocolReply(data, size); }
