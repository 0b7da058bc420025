// The connection front: one epoll loop that owns every client connection (plain or TLS), reads and
// checks request heads and bodies, hands complete requests to worker threads and relays their
// answers.
//
// Index of this file:
// [SECTION] Connections and buffers
// [SECTION] Client I/O (plain / TLS)
// [SECTION] Answers the front makes itself
// [SECTION] Requests: read, check, hand over
// [SECTION] Workers: hand-over, answers
// [SECTION] Accept, deadlines, loop
#include "http/front/front.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/front/http_head.hpp"
#include "http/security_headers.hpp"
#include "memberdesk/errors.hpp"

namespace memberdesk::server::front {

namespace {

using Ms = std::int64_t;
using memberdesk::ErrorCode;

// The reason phrases of the statuses the front answers itself (errors.hpp gives the status).
const char* reason_phrase(int status) {
    switch (status) {
        case 400: return "Bad Request";
        case 408: return "Request Timeout";
        case 411: return "Length Required";
        case 413: return "Payload Too Large";
        case 431: return "Request Header Fields Too Large";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return "Error";
    }
}
Ms now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr int kTickMs = 250;
constexpr int kStopGraceMs = 10000;

// [SECTION] Connections and buffers
enum class Kind { Listener, RedirectListener, Wake, Client };

struct Handle {
    Kind kind;
    int fd = -1;
    explicit Handle(Kind k) : kind(k) {}
};

struct Worker;

struct Client : Handle {
    Client() : Handle(Kind::Client) {}
    SSL* ssl = nullptr;
    bool redirect_only = false;
    std::string addr;              // peer address bytes (per-address cap)
    std::string addr_text;         // the same, printed (X-Memberdesk-Client-Address)
    bool busy = false;             // a request was handed over; its answer is not fully queued yet
    bool close_after = false;      // close once `out` is written
    bool request_started = false;  // bytes of the next request arrived (else idle)
    bool https = false;
    bool lingering = false;    // answer sent, write side shut: reading and dropping until EOF
    bool readable = true;      // plain TCP: bytes may have come since a read last found none
    std::string in;            // received, not yet handed over
    std::size_t head_len = 0;  // 0 = head not complete yet
    std::size_t scanned = 0;   // find_head_end resumes here
    std::size_t need = 0;      // head + body bytes of the current request
    RequestHead req;
    std::string forward;  // head rewritten + body, for the worker
    std::string out;      // to the client
    std::size_t out_off = 0;
    Ms deadline = 0;       // reading: request / idle / first byte deadline
    Ms last_progress = 0;  // writing: last time the client took bytes (or the answer began)
    Worker* worker = nullptr;
    bool queued = false;   // in its lane's waiting list
    std::size_t lane = 0;  // the lane its current request goes to
    bool dead = false;
    std::size_t pending() const { return out.size() - out_off; }
};

// What the answer's head depends on, copied from the client at the hand-over (a worker thread
// never reads the Client).
struct AnswerContext {
    bool head_method = false;
    bool api = false;
    bool https = false;
    bool http10 = false;
    bool close_after = false;
};

// The answer for the client: the worker's head checked and rewritten (hop-by-hop headers out, the
// security headers in) appended to `out`, and its body, a part of `answer`. False: the worker's
// answer is malformed (the client gets a 502).
bool compose_answer(std::string_view answer, const AnswerContext& ctx, bool stopping, std::string& out,
                    std::string_view& body, bool& close_after) {
    const std::size_t mark = out.size();
    close_after = ctx.close_after;
    AnswerHead ah;
    std::size_t end = 0;
    while (true) {
        end = find_head_end(answer, 0);
        if (end == std::string_view::npos || !parse_answer_head(answer.substr(0, end), ah, out)) {
            out.resize(mark);
            return false;
        }
        if (ah.status >= 200) break;
        out.resize(mark);  // an interim answer the client did not ask for: dropped
        answer.remove_prefix(end);
        ah = AnswerHead{};
    }
    body = answer.substr(end);
    if (ctx.head_method || ah.status == 204 || ah.status == 304) {
        body = {};
    } else if (ah.has_length) {
        if (body.size() < ah.content_length) {
            out.resize(mark);
            return false;
        }
        body = body.substr(0, ah.content_length);
    } else if (!ah.chunked) {
        close_after = true;  // a body that ends with the connection
    }
    out += security_header_lines(ctx.https, ctx.api && !ah.has_cache_control);
    if (close_after || stopping)
        out += "Connection: close\r\n";
    else if (ctx.http10)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return true;
}

AnswerContext answer_context(const Client* c) {
    return AnswerContext{c->req.head_method, c->req.api, c->https, c->req.http10, c->close_after};
}

// One request at a worker thread. The front owns the slot; from the hand-over until the slot is
// back in the done list, a worker thread touches only what is below `client`.
struct Worker {
    Client* client = nullptr;  // null once its client is gone: the answer is dropped
    std::string request;       // head as the front rewrote it, and body
    std::string answer;        // what the routes answered, head and body
    AnswerContext ctx;
    std::size_t lane = 0;  // the threads that answer it: kWriteLane or kReadLane
    // A plain-TCP client with nothing else queued: the worker sends the answer itself, so the
    // front need not wake up for it. -1: the front sends.
    int direct_fd = -1;
    bool wake_front = false;  // the front must act on the answer at once (more requests queued, ...)
    // Direct: `head` and then `body` (a part of `answer`) are the client's answer, `sent` bytes of it sent.
    bool composed = false;
    bool close_after = false;
    std::string head;
    std::string_view body;
    std::size_t sent = 0;
    // Set by the front when its client has an event while the request is at the worker; read
    // by the worker after it returned the slot (both under done_mu's ordering): then it wakes the front.
    std::atomic<bool> client_event{false};
};

// "203.0.113.7" / "2001:db8::1" (an IPv4-mapped IPv6 address as IPv4).
std::string peer_text(const sockaddr_storage& ss) {
    char buf[INET6_ADDRSTRLEN] = {0};
    if (ss.ss_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
    } else if (ss.ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
        if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr))
            inet_ntop(AF_INET, reinterpret_cast<const char*>(&a->sin6_addr) + 12, buf, sizeof buf);
        else
            inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
    }
    return buf[0] ? std::string(buf) : std::string("unknown");
}

std::string peer_key(const sockaddr_storage& ss) {
    if (ss.ss_family == AF_INET) {
        auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
        return std::string(reinterpret_cast<const char*>(&a->sin_addr), 4);
    }
    if (ss.ss_family == AF_INET6) {
        auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
        const char* b = reinterpret_cast<const char*>(&a->sin6_addr);
        if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) return std::string(b + 12, 4);
        return std::string(b, 16);
    }
    return {};
}

bool valid_host(std::string_view h) {
    if (h.empty() || h.size() > 255) return false;
    for (char c : h) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                  c == ':' || c == '[' || c == ']';
        if (!ok) return false;
    }
    return true;
}

std::string host_without_port(const std::string& host) {
    if (!host.empty() && host.front() == '[') return host.substr(0, host.find(']') + 1);
    return host.substr(0, host.find(':'));
}

}  // namespace

struct Front::Impl {
    FrontOptions opt;
    std::shared_ptr<TlsContext> tls;
    int ep = -1;
    int wake_fd = -1;
    Handle wake{Kind::Wake};
    std::vector<std::unique_ptr<Handle>> listeners;
    std::unordered_set<Client*> clients;
    std::unordered_map<std::string, std::uint32_t> per_address;
    std::vector<std::unique_ptr<Worker>> slots;  // requests at the workers at once: the lanes' places
    std::vector<Worker*> idle_workers;
    std::vector<Client*> dead_clients;
    // The worker threads: slots handed over (front -> workers) and answered (workers -> front,
    // through the done list; wake_fd only when the front must act at once).
    std::vector<std::thread> threads;
    // A worker thread waits on its own condition variable; the front wakes the one that went idle
    // last (its stack and caches are the warmest), and queues a request only when none is idle.
    struct Thread {
        std::mutex mu;
        std::condition_variable cv;
        Worker* job = nullptr;
        bool stop = false;
    };
    std::vector<std::unique_ptr<Thread>> pool;
    // A lane: threads, the requests handed to them, and the clients waiting for a place. Reads get
    // a few threads of their own, so they neither wait behind writes that wait for the disk nor
    // crowd the cores with threads. Each lane has places of its own (`opt.workers`: a thread that
    // is done takes the next request handed over without the front), so a burst of one kind never
    // takes the other's places.
    struct Lane {
        std::mutex mu;  // idle_threads, todo, stop
        std::vector<Thread*> idle_threads;
        std::deque<Worker*> todo;
        bool stop = false;
        // The front thread's alone:
        std::size_t threads = 0;
        std::size_t places = 0;  // requests it may hold at once, running or handed over
        std::size_t in_use = 0;  // slots holding this lane's requests
        std::deque<Client*> waiting;
    };
    static constexpr std::size_t kWriteLane = 0, kReadLane = 1;
    Lane lanes[2];
    std::mutex done_mu;
    std::vector<Worker*> done;
    bool wake_signalled = false;  // wake_fd written since the front last took the done list
    std::vector<Worker*> done_taken;
    std::atomic<bool> slot_wanted{false};       // clients wait for a slot: every answer wakes the front
    std::atomic<bool> workers_stopping{false};  // mirrors `stopping` for the worker threads
    std::atomic<bool> running{false};
    std::atomic<bool> stop_requested{false};
    bool stopping = false;
    Ms stop_deadline = 0;
    Ms accept_paused_until = 0;
    Ms now = 0;
    int main_port = 443;  // the HTTPS port the redirect answers point to
    std::vector<char> buf = std::vector<char>(64 * 1024);

    Impl(FrontOptions o, std::shared_ptr<TlsContext> t) : opt(std::move(o)), tls(std::move(t)) {
        // Every client costs a descriptor: take the hard limit.
        rlimit rl{};
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (opt.max_connections == 0) {
            std::size_t fds = rl.rlim_cur == RLIM_INFINITY ? 65536 : static_cast<std::size_t>(rl.rlim_cur);
            std::size_t reserve = 128;  // database files, listeners, ...
            opt.max_connections = fds > reserve + 64 ? fds - reserve : 64;
        }
        ep = epoll_create1(EPOLL_CLOEXEC);
        wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        wake.fd = wake_fd;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = &wake;
        epoll_ctl(ep, EPOLL_CTL_ADD, wake_fd, &ev);
    }

    ~Impl() {
        stop_workers();
        for (Client* c : clients) {
            if (c->ssl) SSL_free(c->ssl);
            if (c->fd >= 0) ::close(c->fd);
            delete c;
        }
        for (auto& l : listeners) ::close(l->fd);
        reap();
        if (wake_fd >= 0) ::close(wake_fd);
        if (ep >= 0) ::close(ep);
    }

    void watch(Handle* h, std::uint32_t events) {
        epoll_event ev{};
        ev.events = events;
        ev.data.ptr = h;
        epoll_ctl(ep, EPOLL_CTL_ADD, h->fd, &ev);
    }

    int listen_on(const std::string& host, int port, Kind kind) {
        addrinfo hints{}, *res = nullptr;
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
        std::string service = std::to_string(port);
        if (getaddrinfo(host.c_str(), service.c_str(), &hints, &res) != 0) return -1;
        int fd = -1;
        for (addrinfo* ai = res; ai; ai = ai->ai_next) {
            fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
            if (fd < 0) continue;
            int one = 1;
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 4096) == 0) break;
            ::close(fd);
            fd = -1;
        }
        freeaddrinfo(res);
        if (fd < 0) return -1;
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
        int bound = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                             : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
        auto h = std::make_unique<Handle>(kind);
        h->fd = fd;
        watch(h.get(), EPOLLIN);
        listeners.push_back(std::move(h));
        if (kind == Kind::Listener) main_port = bound;
        return bound;
    }

    // [SECTION] Client I/O (plain / TLS)
    // > 0 bytes, 0 closed by the peer, -1 error, -2 nothing now (wait for the next event).
    ssize_t client_recv(Client* c, char* p, std::size_t n) {
        if (!c->ssl) {
            ssize_t r = ::recv(c->fd, p, n, 0);
            if (r < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? -2 : -1;
            return r;
        }
        ERR_clear_error();
        int r = SSL_read(c->ssl, p, static_cast<int>(std::min<std::size_t>(n, 1 << 30)));
        if (r > 0) return r;
        int e = SSL_get_error(c->ssl, r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return -2;
        if (e == SSL_ERROR_ZERO_RETURN) return 0;
        return -1;
    }

    ssize_t client_send(Client* c, const char* p, std::size_t n) {
        if (!c->ssl) {
            ssize_t r = ::send(c->fd, p, n, MSG_NOSIGNAL);
            if (r < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? -2 : -1;
            return r;
        }
        ERR_clear_error();
        int r = SSL_write(c->ssl, p, static_cast<int>(std::min<std::size_t>(n, 1 << 30)));
        if (r > 0) return r;
        int e = SSL_get_error(c->ssl, r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return -2;
        return -1;
    }

    void close_client(Client* c) {
        if (c->dead) return;
        c->dead = true;
        if (c->queued) {
            auto& waiting = lanes[c->lane].waiting;
            waiting.erase(std::remove(waiting.begin(), waiting.end(), c), waiting.end());
        }
        if (c->worker) {  // its request is at a worker: the slot comes back with the answer
            c->worker->client = nullptr;
            c->worker = nullptr;
        }
        auto it = per_address.find(c->addr);
        if (it != per_address.end() && --it->second == 0) per_address.erase(it);
        clients.erase(c);
        if (c->ssl) {
            SSL_set_quiet_shutdown(c->ssl, 1);
            SSL_free(c->ssl);
            c->ssl = nullptr;
        }
        ::close(c->fd);
        dead_clients.push_back(c);
    }

    // Writes what is queued. Returns false if the client was closed.
    bool flush_client(Client* c) {
        while (c->pending() > 0) {
            ssize_t r = client_send(c, c->out.data() + c->out_off, c->pending());
            if (r == -2) break;
            if (r <= 0) {
                close_client(c);
                return false;
            }
            c->out_off += static_cast<std::size_t>(r);
            c->last_progress = now;
        }
        if (c->pending() == 0) {
            c->out.clear();
            c->out_off = 0;
            if (c->out.capacity() > 256 * 1024) std::string().swap(c->out);
        } else if (c->out_off > 256 * 1024) {
            c->out.erase(0, c->out_off);
            c->out_off = 0;
        }
        if (c->pending() > 0 || c->busy) return true;
        // The answer is out.
        if (c->close_after || stopping) {
            linger(c);
            return false;
        }
        return true;
    }

    // Closing at once with unread request bytes would reset the connection and could destroy the
    // answer before the client read it: shut the write side, drop what still comes (2 s at most).
    void linger(Client* c) {
        if (c->ssl) {
            SSL_set_quiet_shutdown(c->ssl, 0);
            ERR_clear_error();
            SSL_shutdown(c->ssl);
        }
        ::shutdown(c->fd, SHUT_WR);
        c->lingering = true;
        c->deadline = now + 2000;
        drain(c);
    }

    void drain(Client* c) {
        while (true) {
            ssize_t r = ::recv(c->fd, buf.data(), buf.size(), 0);
            if (r > 0) continue;
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
            close_client(c);
            return;
        }
    }

    // [SECTION] Answers the front makes itself
    void answer_and_close(Client* c, ErrorCode error, const char* message = nullptr) {
        const int status = http_status(error);
        const char* reason = reason_phrase(status);
        const char* code = to_string(error);
        if (!message) message = default_message(error);
        std::string body;
        const char* type;
        if (c->req.api || c->req.target.empty()) {
            body = std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + message + "\"}}";
            type = "application/json";
        } else {
            body = std::to_string(status) + " " + reason + "\n";
            type = "text/plain; charset=utf-8";
        }
        c->out += "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + type +
                  "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
        c->out += security_header_lines(c->https, true);
        c->out += "Connection: close\r\n\r\n";
        c->out += body;
        c->close_after = true;
        c->busy = false;
        c->in.clear();
        c->last_progress = now;
        flush_client(c);
    }

    void answer_redirect(Client* c) {
        if (!valid_host(c->req.host)) {
            answer_and_close(c, ErrorCode::bad_request, "Host header missing or invalid");
            return;
        }
        std::string location = "https://" + host_without_port(c->req.host);
        if (main_port != 443) location += ":" + std::to_string(main_port);
        location += c->req.target.front() == '/' ? c->req.target : "/";
        c->out += "HTTP/1.1 301 Moved Permanently\r\nLocation: " + location + "\r\nContent-Length: 0\r\n" +
                  security_header_lines(false, false) + "Connection: close\r\n\r\n";
        c->close_after = true;
        c->last_progress = now;
        flush_client(c);
    }

    // [SECTION] Requests: read, check, hand over
    void read_client(Client* c) {
        const std::size_t limit = opt.max_head_bytes + opt.max_body_bytes;
        // Edge-triggered: without an EPOLLIN since the socket was last found empty, a recv would
        // only say EAGAIN (TLS may hold decrypted bytes, so it always reads).
        while (!c->dead && !c->busy && !c->close_after && (c->ssl || c->readable)) {
            if (c->in.size() >= limit) break;
            const std::size_t want = std::min(buf.size(), limit - c->in.size());
            ssize_t r = client_recv(c, buf.data(), want);
            if (r == -2) {
                c->readable = false;
                break;
            }
            if (r <= 0) {
                close_client(c);
                return;
            }
            if (!c->request_started) {
                c->request_started = true;
                c->deadline = now + opt.request_deadline_ms;
            }
            c->in.append(buf.data(), static_cast<std::size_t>(r));
            if (!c->ssl && static_cast<std::size_t>(r) < want) {  // a short read drained the socket
                c->readable = false;
                break;
            }
        }
        if (!c->dead) take_request(c);
    }

    void take_request(Client* c) {
        if (c->dead || c->busy || c->close_after || c->in.empty()) return;
        if (c->head_len == 0) {
            std::size_t end = find_head_end(c->in, c->scanned);
            if (end == std::string::npos) {
                if (c->in.size() > opt.max_head_bytes) return answer_and_close(c, ErrorCode::header_too_large);
                c->scanned = c->in.size() > 3 ? c->in.size() - 3 : 0;
                return;
            }
            if (end > opt.max_head_bytes) return answer_and_close(c, ErrorCode::header_too_large);
            c->req = RequestHead{};
            c->forward.clear();
            if (!parse_request_head(std::string_view(c->in).substr(0, end), c->req, c->forward))
                return answer_and_close(c, ErrorCode::bad_request, "malformed request");
            // The routes limit some requests per client address: tell them whose this is.
            c->forward.insert(c->forward.size() - 2, "X-Memberdesk-Client-Address: " + c->addr_text + "\r\n");
            if (c->redirect_only) return answer_redirect(c);
            if (c->req.chunked) return answer_and_close(c, ErrorCode::length_required);
            if (c->req.content_length > opt.max_body_bytes) return answer_and_close(c, ErrorCode::payload_too_large);
            c->head_len = end;
            c->need = end + c->req.content_length;
            if (c->req.expect_continue && c->in.size() < c->need) {
                c->out += "HTTP/1.1 100 Continue\r\n\r\n";
                c->last_progress = now;
                if (!flush_client(c)) return;
            }
        }
        if (c->in.size() < c->need) return;
        // Whole request here: hand it over.
        c->forward.append(c->in, c->head_len, c->need - c->head_len);
        c->in.erase(0, c->need);
        c->head_len = c->need = c->scanned = 0;
        c->request_started = !c->in.empty();
        c->busy = true;
        c->last_progress = now;  // the write-stall clock starts with the answer
        if (!c->req.keep_alive) c->close_after = true;
        dispatch(c);
    }

    // [SECTION] Workers: hand-over, answers
    void dispatch(Client* c) {
        c->lane = lanes[kReadLane].threads > 0 && c->req.reads_only ? kReadLane : kWriteLane;
        Lane& lane = lanes[c->lane];
        Worker* w = nullptr;
        if (lane.in_use < lane.places && !idle_workers.empty()) {
            w = idle_workers.back();
            idle_workers.pop_back();
        } else if (lane.in_use < lane.places) {
            slots.push_back(std::make_unique<Worker>());
            w = slots.back().get();
        } else {
            c->queued = true;
            lane.waiting.push_back(c);
            slot_wanted.store(true);
            return;
        }
        ++lane.in_use;
        c->queued = false;
        c->worker = w;
        w->client = c;
        w->request.swap(c->forward);
        c->forward.clear();
        w->ctx = answer_context(c);
        // The front never writes to or closes a client while its request is at a worker, so the
        // worker may send on the socket; with request bytes already here the front must go on at once.
        w->direct_fd = (!c->ssl && c->pending() == 0) ? c->fd : -1;
        w->wake_front = !c->in.empty() || c->close_after;
        w->composed = false;
        w->client_event.store(false);
        w->lane = c->lane;
        Thread* t = nullptr;
        {
            std::lock_guard<std::mutex> lock(lane.mu);
            if (lane.idle_threads.empty()) {
                lane.todo.push_back(w);
            } else {
                t = lane.idle_threads.back();
                lane.idle_threads.pop_back();
            }
        }
        if (t) {
            {
                std::lock_guard<std::mutex> lock(t->mu);
                t->job = w;
            }
            t->cv.notify_one();
        }
    }

    void work(Lane& lane, Thread& self) {
        while (true) {
            Worker* w = nullptr;
            {
                std::lock_guard<std::mutex> lock(lane.mu);
                if (lane.stop) return;
                if (!lane.todo.empty()) {
                    w = lane.todo.front();
                    lane.todo.pop_front();
                } else {
                    lane.idle_threads.push_back(&self);
                }
            }
            if (!w) {
                std::unique_lock<std::mutex> lock(self.mu);
                self.cv.wait(lock, [&self] { return self.stop || self.job; });
                if (!self.job) return;
                w = self.job;
                self.job = nullptr;
            }
            w->answer.clear();
            try {
                opt.handler(w->request, w->answer);
            } catch (...) {
                w->answer.clear();  // no answer: the client gets a 502
            }
            bool wake_now = w->direct_fd < 0 || w->wake_front || send_direct(w);
            bool signal = false;
            {
                std::lock_guard<std::mutex> lock(done_mu);
                done.push_back(w);
                // Read after the push: an event the front saw before its next look at the list
                // is seen here, else the front finds the slot there.
                wake_now = wake_now || w->client_event.load() || slot_wanted.load() || workers_stopping.load();
                if (wake_now && !wake_signalled) signal = wake_signalled = true;
            }
            if (signal) {
                std::uint64_t one = 1;
                (void)!::write(wake_fd, &one, sizeof one);
            }
        }
    }

    // On a worker thread: composes and sends the answer. True if the front must act on it at once
    // (not all sent, the connection ends, or the answer is malformed).
    bool send_direct(Worker* w) {
        w->head.clear();
        w->sent = 0;
        if (!compose_answer(w->answer, w->ctx, workers_stopping.load(), w->head, w->body, w->close_after)) return true;
        w->composed = true;
        const std::size_t total = w->head.size() + w->body.size();
        while (w->sent < total) {
            // Head and body with one call, the body where the routes wrote it.
            iovec parts[2];
            int n = 0;
            if (w->sent < w->head.size()) {
                parts[n++] = {w->head.data() + w->sent, w->head.size() - w->sent};
                parts[n++] = {const_cast<char*>(w->body.data()), w->body.size()};
            } else {
                const std::size_t off = w->sent - w->head.size();
                parts[n++] = {const_cast<char*>(w->body.data()) + off, w->body.size() - off};
            }
            msghdr msg{};
            msg.msg_iov = parts;
            msg.msg_iovlen = static_cast<std::size_t>(n);
            ssize_t r = ::sendmsg(w->direct_fd, &msg, MSG_NOSIGNAL);
            if (r <= 0) return true;  // EAGAIN: the front sends the rest on EPOLLOUT; an error: it finds out
            w->sent += static_cast<std::size_t>(r);
        }
        return w->close_after || workers_stopping.load();
    }

    void start_workers() {
        const std::size_t readers = std::min(opt.read_workers, opt.workers - 1);
        lanes[kReadLane].threads = readers;
        lanes[kWriteLane].threads = opt.workers - readers;
        for (Lane& lane : lanes) lane.places = lane.threads > 0 ? opt.workers : 0;
        for (std::size_t i = 0; i < opt.workers; ++i) {
            pool.push_back(std::make_unique<Thread>());
            Thread* t = pool.back().get();
            Lane* lane = &lanes[i < readers ? kReadLane : kWriteLane];
            threads.emplace_back([this, lane, t] { work(*lane, *t); });
        }
    }

    // Requests still queued are dropped (their clients are closed with the front); running ones finish.
    void stop_workers() {
        for (Lane& lane : lanes) {
            std::lock_guard<std::mutex> lock(lane.mu);
            lane.stop = true;
        }
        for (auto& t : pool) {
            {
                std::lock_guard<std::mutex> lock(t->mu);
                t->stop = true;
            }
            t->cv.notify_one();
        }
        for (auto& t : threads) t.join();
        threads.clear();
        pool.clear();
        for (Lane& lane : lanes) lane.idle_threads.clear();
    }

    void take_answers() {
        {
            std::lock_guard<std::mutex> lock(done_mu);
            done_taken.swap(done);
            wake_signalled = false;
        }
        for (Worker* w : done_taken) {
            Client* c = w->client;
            w->client = nullptr;
            if (c) {
                c->worker = nullptr;
                bool delivered = false;
                if (w->composed) {  // sent by the worker, perhaps in part
                    if (w->sent < w->head.size()) {
                        c->out.append(w->head, w->sent, std::string::npos);
                        c->out.append(w->body);
                    } else {
                        c->out.append(w->body.substr(w->sent - w->head.size()));
                    }
                    c->close_after = w->close_after;
                    answered(c);
                    delivered = true;
                } else {
                    delivered = deliver(c, w->answer);
                }
                // Keep-alive: the next request may already be here (pipelined, or in TLS buffers).
                if (delivered && flush_client(c) && !c->busy) read_client(c);
            }
            w->composed = false;
            w->answer.clear();
            w->head.clear();
            w->body = {};
            --lanes[w->lane].in_use;
            idle_workers.push_back(w);
        }
        done_taken.clear();
        pump_waiting();
    }

    // A worker's whole answer, for the front to send. False if the front answered instead (502).
    bool deliver(Client* c, std::string_view answer) {
        bool close_after = false;
        std::string_view body;
        if (!compose_answer(answer, answer_context(c), stopping, c->out, body, close_after)) {
            answer_and_close(c, ErrorCode::worker_unavailable);
            return false;
        }
        c->out.append(body);
        c->close_after = close_after;
        answered(c);
        return true;
    }

    void answered(Client* c) {
        c->busy = false;
        c->last_progress = now;
        if (!c->close_after && !stopping) {
            c->deadline = now + (c->request_started ? opt.request_deadline_ms : opt.keep_alive_idle_ms);
            if (c->in.capacity() > 64 * 1024 && c->in.empty()) std::string().swap(c->in);
        }
    }

    void pump_waiting() {
        bool wanted = false;
        for (Lane& lane : lanes) {
            while (!lane.waiting.empty() && lane.in_use < lane.places) {
                Client* next = lane.waiting.front();
                lane.waiting.pop_front();
                next->queued = false;
                dispatch(next);
            }
            wanted = wanted || !lane.waiting.empty();
        }
        slot_wanted.store(wanted);
    }

    // [SECTION] Accept, deadlines, loop
    void accept_all(Handle* l) {
        while (true) {
            sockaddr_storage ss{};
            socklen_t len = sizeof ss;
            int fd = ::accept4(l->fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    accept_paused_until = now + 1000;  // no descriptor left: try again in a second
                    for (auto& h : listeners) epoll_ctl(ep, EPOLL_CTL_DEL, h->fd, nullptr);
                }
                return;
            }
            std::string key = peer_key(ss);
            auto& count = per_address[key];
            if (clients.size() >= opt.max_connections || count >= opt.max_connections_per_address) {
                if (count == 0) per_address.erase(key);
                ::close(fd);
                continue;
            }
            ++count;
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            auto* c = new Client();
            c->fd = fd;
            c->addr_text = peer_text(ss);
            c->addr = std::move(key);
            c->redirect_only = l->kind == Kind::RedirectListener;
            c->deadline = now + opt.first_byte_ms;
            if (tls && !c->redirect_only) {
                auto ctx = tls->current();
                c->ssl = SSL_new(ctx.get());
                c->https = true;
                if (!c->ssl) {
                    ::close(fd);
                    if (--per_address[c->addr] == 0) per_address.erase(c->addr);
                    delete c;
                    continue;
                }
                SSL_set_fd(c->ssl, fd);
                SSL_set_accept_state(c->ssl);
            }
            clients.insert(c);
            watch(c, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
            read_client(c);
        }
    }

    void on_client_event(Client* c, std::uint32_t events) {
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            c->readable = true;
            // The worker may have sent the answer without waking the front: look at the done list
            // after this (the worker looks at this flag after it put the slot there).
            if (c->worker) c->worker->client_event.store(true);
        }
        if (c->lingering) return drain(c);
        if (c->pending() > 0 && !flush_client(c)) return;
        if (!c->busy && !c->close_after) read_client(c);
        if (!c->dead && (events & (EPOLLHUP | EPOLLERR)) && !c->busy && c->pending() == 0) close_client(c);
    }

    void sweep() {
        if (accept_paused_until && now >= accept_paused_until && !stopping) {
            accept_paused_until = 0;
            for (auto& h : listeners) watch(h.get(), EPOLLIN);
        }
        std::vector<Client*> expired;
        for (Client* c : clients) {
            if (c->lingering) {
                if (now > c->deadline) expired.push_back(c);
            } else if (c->pending() > 0) {
                if (now - c->last_progress > opt.write_stall_ms) expired.push_back(c);
            } else if (!c->busy && now > c->deadline) {
                expired.push_back(c);
            }
        }
        for (Client* c : expired) {
            if (c->dead) continue;
            if (!c->lingering && c->pending() == 0 && c->request_started && !c->close_after)
                answer_and_close(c, ErrorCode::request_timeout);
            else
                close_client(c);
        }
    }

    void reap() {
        for (Client* c : dead_clients) delete c;
        dead_clients.clear();
    }

    void begin_stop() {
        stopping = true;
        workers_stopping.store(true);
        stop_deadline = now + kStopGraceMs;
        for (auto& l : listeners) {
            epoll_ctl(ep, EPOLL_CTL_DEL, l->fd, nullptr);
            ::close(l->fd);
        }
        listeners.clear();
        std::vector<Client*> idle;
        for (Client* c : clients)
            if (!c->busy && c->pending() == 0) idle.push_back(c);
        for (Client* c : idle) close_client(c);
        for (Client* c : clients) c->close_after = true;
    }

    bool run() {
        if (ep < 0 || wake_fd < 0) return false;
        running = true;
        start_workers();
        std::vector<epoll_event> events(512);
        Ms last_sweep = now_ms();
        while (true) {
            int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), kTickMs);
            now = now_ms();
            const std::size_t ready = n > 0 ? static_cast<std::size_t>(n) : 0;  // -1: EINTR
            for (std::size_t i = 0; i < ready; ++i) {
                auto* h = static_cast<Handle*>(events[i].data.ptr);
                std::uint32_t ev = events[i].events;
                switch (h->kind) {
                    case Kind::Wake: {
                        std::uint64_t v;
                        (void)!::read(wake_fd, &v, sizeof v);
                        break;
                    }
                    case Kind::Listener:
                    case Kind::RedirectListener:
                        if (!stopping) accept_all(h);
                        break;
                    case Kind::Client: {
                        auto* c = static_cast<Client*>(h);
                        if (!c->dead) on_client_event(c, ev);
                        break;
                    }
                }
            }
            take_answers();
            reap();
            if (stop_requested.load() && !stopping) begin_stop();
            if (now - last_sweep >= kTickMs) {
                last_sweep = now;
                sweep();
                reap();
            }
            if (stopping) {
                bool in_flight = false;
                for (Client* c : clients)
                    if (!c->lingering && (c->busy || c->pending() > 0)) in_flight = true;
                if (!in_flight || now > stop_deadline) break;
            }
        }
        stop_workers();
        running = false;
        return true;
    }
};

Front::Front(FrontOptions options, std::shared_ptr<TlsContext> tls)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(tls))) {}
Front::~Front() = default;

int Front::bind(const std::string& host, int port) { return impl_->listen_on(host, port, Kind::Listener); }
int Front::bind_redirect(const std::string& host, int port) {
    return impl_->listen_on(host, port, Kind::RedirectListener);
}
bool Front::run() { return impl_->run(); }
void Front::stop() {
    impl_->stop_requested = true;
    std::uint64_t one = 1;
    (void)!::write(impl_->wake_fd, &one, sizeof one);
}
bool Front::is_running() const { return impl_->running.load(); }

}  // namespace memberdesk::server::front
