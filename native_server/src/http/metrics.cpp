#include "http/metrics.hpp"

#include <cstdio>

namespace memberdesk::server {

namespace {
const char* const kMethodNames[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};
const int kKnownStatuses[] = {200, 201, 204, 206, 304, 400, 401, 403, 404, 405,
                              409, 413, 414, 416, 422, 429, 500, 503, 504};  // + "other"
// Bucket upper bounds in nanoseconds and their labels.
const std::uint64_t kBounds[] = {100000,   250000,   500000,    1000000,   2500000,   5000000,    10000000,
                                 25000000, 50000000, 100000000, 250000000, 500000000, 1000000000, 2500000000ULL};
const char* const kBoundLabels[] = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01",
                                    "0.025",  "0.05",    "0.1",    "0.25",  "0.5",    "1",     "2.5"};

std::string escape_label(const std::string& s) {
    std::string r;
    r.reserve(s.size());
    for (char c : s) {
        if (c == '\\' || c == '"') {
            r += '\\';
            r += c;
        } else if (c == '\n') {
            r += "\\n";
        } else {
            r += c;
        }
    }
    return r;
}
}  // namespace

Metrics::PerRoute::PerRoute() {
    for (auto& m : requests)
        for (auto& s : m) s.store(0, std::memory_order_relaxed);
    for (auto& b : buckets) b.store(0, std::memory_order_relaxed);
    sum_nanos.store(0, std::memory_order_relaxed);
    count.store(0, std::memory_order_relaxed);
}

Metrics::Metrics(std::vector<std::string> routes) : routes_(std::move(routes)), data_(new PerRoute[routes_.size()]) {}
Metrics::~Metrics() = default;

int Metrics::method_index(std::string_view m) {
    for (int i = 0; i < kMethods - 1; ++i)
        if (m == kMethodNames[i]) return i;
    return kMethods - 1;
}

int Metrics::status_index(int status) {
    for (int i = 0; i < kStatuses - 1; ++i)
        if (kKnownStatuses[i] == status) return i;
    return kStatuses - 1;
}

void Metrics::record(int route, int method, int status, std::int64_t nanos) {
    if (route < 0 || static_cast<std::size_t>(route) >= routes_.size()) return;
    if (method < 0 || method >= kMethods) method = kMethods - 1;
    auto& r = data_[static_cast<std::size_t>(route)];
    r.requests[method][status_index(status)].fetch_add(1, std::memory_order_relaxed);
    std::uint64_t ns = nanos < 0 ? 0 : static_cast<std::uint64_t>(nanos);
    int b = 0;
    while (b < kBuckets - 1 && ns > kBounds[b]) ++b;
    r.buckets[b].fetch_add(1, std::memory_order_relaxed);
    r.sum_nanos.fetch_add(ns, std::memory_order_relaxed);
    r.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::record_error(int route, std::string_view code) {
    if (route < 0 || static_cast<std::size_t>(route) >= routes_.size()) return;
    std::lock_guard<std::mutex> lock(errors_mu_);
    if (errors_.size() > 10000) return;  // bounded: codes come from our own code, but be safe
    ++errors_[{route, std::string(code)}];
}

std::string Metrics::render() const {
    std::string out;
    out.reserve(16384);
    char buf[160];
    out += "# HELP memberdesk_http_requests_total HTTP requests by route pattern, method and status.\n";
    out += "# TYPE memberdesk_http_requests_total counter\n";
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        std::string route = escape_label(routes_[r]);
        for (int m = 0; m < kMethods; ++m) {
            for (int s = 0; s < kStatuses; ++s) {
                auto v = data_[r].requests[m][s].load(std::memory_order_relaxed);
                if (v == 0) continue;
                out += "memberdesk_http_requests_total{route=\"" + route + "\",method=\"" + kMethodNames[m] +
                       "\",status=\"";
                out += s == kStatuses - 1 ? std::string("other") : std::to_string(kKnownStatuses[s]);
                out += "\"} " + std::to_string(v) + "\n";
            }
        }
    }
    out += "# HELP memberdesk_http_request_duration_seconds Time from routing to the response written.\n";
    out += "# TYPE memberdesk_http_request_duration_seconds histogram\n";
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        auto count = data_[r].count.load(std::memory_order_relaxed);
        if (count == 0) continue;
        std::string route = escape_label(routes_[r]);
        std::uint64_t cum = 0;
        for (int b = 0; b < kBuckets; ++b) {
            cum += data_[r].buckets[b].load(std::memory_order_relaxed);
            out += "memberdesk_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"";
            out += b == kBuckets - 1 ? "+Inf" : kBoundLabels[b];
            out += "\"} " + std::to_string(cum) + "\n";
        }
        auto sum = data_[r].sum_nanos.load(std::memory_order_relaxed);
        std::snprintf(buf, sizeof buf, "%.9f", static_cast<double>(sum) / 1e9);
        out += "memberdesk_http_request_duration_seconds_sum{route=\"" + route + "\"} " + buf + "\n";
        // count after the buckets were read: keep _count == +Inf bucket for consistency
        out += "memberdesk_http_request_duration_seconds_count{route=\"" + route + "\"} " + std::to_string(cum) + "\n";
    }
    out += "# HELP memberdesk_http_errors_total Error answers by route pattern and error code.\n";
    out += "# TYPE memberdesk_http_errors_total counter\n";
    {
        std::lock_guard<std::mutex> lock(errors_mu_);
        for (const auto& [key, v] : errors_) {
            out += "memberdesk_http_errors_total{route=\"" +
                   escape_label(routes_[static_cast<std::size_t>(key.first)]) + "\",code=\"" +
                   escape_label(key.second) + "\"} " + std::to_string(v) + "\n";
        }
    }
    return out;
}

}  // namespace memberdesk::server
