// The random source of the property tests: std::mt19937 with a fixed seed, so a failure replays.
#pragma once
#include <cstdint>
#include <random>

namespace mdtest {

// Under ASan + UBSan (preset native-asan) every step of a property test costs 10-20 times more, so
// there a test makes a quarter of its runs: the sanitizers look for memory errors and undefined
// behaviour on the code paths, which the shorter run still reaches; the full count runs natively and
// under node. Override with -DMEMBERDESK_PROPERTY_SHARE=N to try a build's thresholds at a share.
#if defined(__SANITIZE_ADDRESS__)  // gcc
#define MEMBERDESK_UNDER_ASAN 1
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer)
#define MEMBERDESK_UNDER_ASAN 1
#endif
#endif
#ifndef MEMBERDESK_PROPERTY_SHARE
#ifdef MEMBERDESK_UNDER_ASAN
#define MEMBERDESK_PROPERTY_SHARE 4
#else
#define MEMBERDESK_PROPERTY_SHARE 1
#endif
#endif

// n runs, or this build's share of them (at least one). Thresholds on counts summed over the runs
// scale the same way.
constexpr std::uint32_t runs(std::uint32_t n) {
    return n / MEMBERDESK_PROPERTY_SHARE > 0 ? n / MEMBERDESK_PROPERTY_SHARE : 1;
}

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
