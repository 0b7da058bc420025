// The routes behind the connection front, without a socket between them: the front hands a worker
// thread a request's bytes, and cpp-httplib's own request processing (parsing, routing, the
// error, exception and logger handlers, Range, HEAD) turns them into the answer's bytes in memory.
// So the answer is what httplib would have written to a socket, and a request costs no socket
// reads, writes or polls on either side of the hand-over.
#pragma once
#include <httplib.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace memberdesk::server {

class InProcessServer : public httplib::Server {
public:
    // `request`: one whole request (head and body). The answer is appended to `answer`.
    void answer(std::string_view request, std::string& answer) {
        MemoryStream strm(request, answer);
        bool connection_closed = false;  // the front decides about the client's connection
        process_request(strm, std::string(), 0, std::string(), 0, false, connection_closed, nullptr);
    }

private:
    class MemoryStream final : public httplib::Stream {
    public:
        MemoryStream(std::string_view in, std::string& out) : in_(in), out_(out) {}
        bool is_readable() const override { return true; }
        bool is_writable() const override { return true; }
        ssize_t read(char* ptr, size_t size) override {
            const std::size_t n = std::min(size, in_.size() - pos_);
            std::memcpy(ptr, in_.data() + pos_, n);
            pos_ += n;
            return static_cast<ssize_t>(n);
        }
        ssize_t write(const char* ptr, size_t size) override {
            out_.append(ptr, size);
            return static_cast<ssize_t>(size);
        }
        void get_remote_ip_and_port(std::string&, int&) const override {}
        void get_local_ip_and_port(std::string&, int&) const override {}
        // No socket: below FD_SETSIZE for httplib's select check, and never polled.
        socket_t socket() const override { return 0; }

    private:
        std::string_view in_;
        std::size_t pos_ = 0;
        std::string& out_;
    };
};

}  // namespace memberdesk::server
