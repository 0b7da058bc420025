// HTTP metrics in Prometheus text format. Routes are registered up front (their pattern is the
// label, never the raw path); counting a request is a few relaxed atomic increments. Error codes
// are an open set, counted under a mutex on the error path only.
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace memberdesk::server {

class Metrics {
public:
    // `routes`: label of each route index (e.g. "/api/v1/me"); add "static" and "unmatched" yourself.
    explicit Metrics(std::vector<std::string> routes);
    ~Metrics();

    static int method_index(std::string_view method);  // GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, other
    void record(int route, int method, int status, std::int64_t nanos);
    void record_error(int route, std::string_view code);
    std::string render() const;
    std::size_t route_count() const { return routes_.size(); }

private:
    static constexpr int kMethods = 8;
    static constexpr int kStatuses = 20;  // known statuses + "other"
    static constexpr int kBuckets = 15;   // 14 finite + +Inf
    static int status_index(int status);

    struct PerRoute {
        std::atomic<std::uint64_t> requests[kMethods][kStatuses];
        std::atomic<std::uint64_t> buckets[kBuckets];
        std::atomic<std::uint64_t> sum_nanos;
        std::atomic<std::uint64_t> count;
        PerRoute();
    };
    std::vector<std::string> routes_;
    std::unique_ptr<PerRoute[]> data_;
    mutable std::mutex errors_mu_;
    std::map<std::pair<int, std::string>, std::uint64_t> errors_;
};

}  // namespace memberdesk::server
