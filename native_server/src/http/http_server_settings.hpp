// The httplib::Server settings of memberdesk-server, in one place so that the benchmark baseline
// (tests/bench/hello_server.cpp) runs with exactly the same ones. memberdesk-server's routes answer
// the connection front's worker threads in memory (in_process_server.hpp), so for it only the
// thread count (the front's workers) and the body limit take effect; the connection settings
// below shape the bare baseline, which listens itself.
#pragma once
#include <httplib.h>

#include <algorithm>
#include <cstddef>
#include <thread>

namespace memberdesk::server {

// cpp-httplib gives each open keep-alive connection a worker of its own, and a new connection
// waits in the queue until one is free. So: enough workers for the usual number of open
// connections (idle browsers hold one for the 5 s keep-alive), and a busy connection hands its
// worker back after 100 requests (the client reconnects and queues behind the others), so one
// chatty client cannot starve the rest.
inline std::size_t default_http_threads() { return std::max<std::size_t>(64, 8 * std::thread::hardware_concurrency()); }

// Of `threads`, how many answer only GET and HEAD by default. A database in the process (SQLite)
// keeps a read on the CPU: enough threads to keep the cores busy with reads, few enough that they do
// not time-slice each other. A database across the network (PostgreSQL) keeps a read waiting for
// its answers: half the threads. At most half either way; one pool when there are fewer than 2.
inline std::size_t default_read_threads(std::size_t threads, bool database_in_process) {
    const std::size_t cores = std::max<unsigned>(1, std::thread::hardware_concurrency());
    if (!database_in_process) return threads / 2;
    return std::min(std::max<std::size_t>(4, 4 * cores), threads / 2);
}

// threads 0 = default_http_threads(). Returns the number of worker threads.
inline std::size_t apply_http_server_settings(httplib::Server& server, std::size_t threads,
                                              std::size_t max_body_bytes) {
    if (threads == 0) threads = default_http_threads();
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_payload_max_length(max_body_bytes);
    server.set_keep_alive_max_count(100);
    server.set_keep_alive_timeout(5);
    server.set_read_timeout(10, 0);
    server.set_write_timeout(10, 0);
    return threads;
}

}  // namespace memberdesk::server
