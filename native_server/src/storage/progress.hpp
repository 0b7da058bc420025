// Progress on stderr of a long pass over a big table (a schema step, a build at start), so an
// operator upgrading a large database sees what runs and how far it is. Quiet for small databases:
// nothing is printed when the total is below `every`.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace memberdesk::server {

class Progress {
public:
    // `total` 0 = not known beforehand: lines say only how many so far, and printing starts once
    // `every` have been counted.
    Progress(std::string what, std::int64_t total, std::int64_t every = 10000, const char* unit = "rows")
        : what_(std::move(what)),
          unit_(unit),
          total_(total),
          every_(every),
          next_(every),
          t0_(std::chrono::steady_clock::now()) {}

    bool loud() const { return total_ == 0 ? done_ >= every_ : total_ >= every_; }

    void advance(std::int64_t n = 1) {
        done_ += n;
        if (done_ < next_) return;
        while (next_ <= done_) next_ += every_;
        if (total_ > 0)
            std::fprintf(stderr, "%s: %lld of %lld (%.0f s)\n", what_.c_str(), static_cast<long long>(done_),
                         static_cast<long long>(total_), seconds());
        else
            std::fprintf(stderr, "%s: %lld (%.0f s)\n", what_.c_str(), static_cast<long long>(done_), seconds());
    }

    // Announces a step done in one statement (no count to report as it goes).
    void start() {
        started_ = true;
        if (loud()) std::fprintf(stderr, "%s: %lld %s ...\n", what_.c_str(), static_cast<long long>(total_), unit_);
    }

    void finish() const {
        if (!loud() || (!started_ && done_ == 0)) return;
        if (done_ == 0)
            std::fprintf(stderr, "%s: done in %.1f s\n", what_.c_str(), seconds());
        else
            std::fprintf(stderr, "%s: done, %lld in %.1f s\n", what_.c_str(), static_cast<long long>(done_), seconds());
    }

    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }

private:
    std::string what_;
    const char* unit_;
    std::int64_t total_, every_, next_;
    std::int64_t done_ = 0;
    bool started_ = false;
    std::chrono::steady_clock::time_point t0_;
};

}  // namespace memberdesk::server
