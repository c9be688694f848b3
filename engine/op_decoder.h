// Bytes to ops, for fuzzing: a bounded decoder derived from the op
// declarations. Every decoded op has every field inside its domain, and
// every op and value is reachable from some byte string, so a
// coverage-guided fuzzer explores ops the way a property generator does.
// No test-framework dependency.
//
//   ByteReader in(data, size);
//   std::vector<Dsm::Op> ops = DecodeOps<Dsm::Op>(in, nodes, /*max_ops=*/64);
//
// Layout: per op, one byte picks the op type (modulo the number of types);
// each field then takes as many bytes as its domain needs (one for domains
// of up to 256 values), reduced modulo the domain size. Decoding stops at
// the end of the input or at max_ops.
#ifndef HASPEC_ENGINE_OP_DECODER_H_
#define HASPEC_ENGINE_OP_DECODER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "model/core/nodes.h"
#include "model/core/op_spec.h"

namespace haspec {

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  // A value in [0, bound), or nullopt at the end of the input; bound > 0.
  std::optional<std::uint64_t> Below(std::uint64_t bound) {
    if (bound <= 256) {  // one byte: nearly every field and every op type
      if (pos_ >= size_) return std::nullopt;
      return static_cast<std::uint32_t>(data_[pos_++]) % static_cast<std::uint32_t>(bound);
    }
    std::uint64_t v = 0;
    std::uint64_t span = 1;
    do {
      if (pos_ >= size_) return std::nullopt;
      v = (v << 8) | data_[pos_++];
      span <<= 8;
    } while (span < bound && span != 0);
    return v % bound;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

namespace op_decoder_internal {

// The fields of op type I (alternative I of Op), or nullopt when the input
// ends first.
template <class Op, std::size_t I>
std::optional<Op> DecodeAs(ByteReader& in, const Nodes& nodes) {
  using T = std::variant_alternative_t<I, Op>;
  T op{};
  bool ok = true;
  ForEachField<T>([&](const auto& f) {
    if (!ok) return;
    const std::size_t n = f.domain.Count(nodes);
    if (n == 0) {
      ok = false;
      return;
    }
    auto i = in.Below(n);
    if (!i) {
      ok = false;
      return;
    }
    f.Set(op, f.domain.At(static_cast<std::size_t>(*i), nodes));
  });
  if (!ok) return std::nullopt;
  return Op(std::in_place_index<I>, std::move(op));
}

template <class Op>
using DecodeFn = std::optional<Op> (*)(ByteReader&, const Nodes&);

template <class Op, std::size_t... I>
constexpr std::array<DecodeFn<Op>, sizeof...(I)> DecoderTable(std::index_sequence<I...>) {
  return {&DecodeAs<Op, I>...};
}

}  // namespace op_decoder_internal

// One op, or nullopt when the input ends first. The type byte indexes a
// table of per-type decoders: a fuzz target decodes an op per step, and a
// chain of comparisons against every type index (each one traced by the
// fuzzer's comparison instrumentation) cost a quarter of its time.
template <class Op>
std::optional<Op> DecodeOp(ByteReader& in, const Nodes& nodes) {
  static constexpr auto kDecoders =
      op_decoder_internal::DecoderTable<Op>(std::make_index_sequence<std::variant_size_v<Op>>{});
  auto type = in.Below(std::variant_size_v<Op>);
  if (!type) return std::nullopt;
  return kDecoders[static_cast<std::size_t>(*type)](in, nodes);
}

template <class Op>
std::vector<Op> DecodeOps(ByteReader& in, const Nodes& nodes, std::size_t max_ops) {
  std::vector<Op> ops;
  while (ops.size() < max_ops) {
    auto op = DecodeOp<Op>(in, nodes);
    if (!op) break;
    ops.push_back(std::move(*op));
  }
  return ops;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_OP_DECODER_H_
