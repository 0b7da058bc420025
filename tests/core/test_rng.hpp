// The random source of the property tests: std::mt19937 with a fixed seed, so a failure replays.
#pragma once
#include <cstdint>
#include <random>

namespace mdtest {

struct Rng {
    std::mt19937 g;
    explicit Rng(std::uint32_t seed) : g(seed) {}
    std::uint32_t below(std::uint32_t n) { return n == 0 ? 0 : static_cast<std::uint32_t>(g() % n); }
    std::int64_t range(std::int64_t lo, std::int64_t hi) {  // inclusive
        return lo + static_cast<std::int64_t>(g() % static_cast<std::uint32_t>(hi - lo + 1));
    }
    bool chance(int percent) { return below(100) < static_cast<std::uint32_t>(percent); }
};

}  // namespace mdtest
