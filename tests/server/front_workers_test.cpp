// The connection front's hand-over to its worker threads: more clients than workers, pipelined
// requests, HTTP/1.0, and answers larger than a socket buffer all reach the client whole and in order;
// reads have threads of their own that writes waiting for the database cannot take.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

#include "http/http_server_settings.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace front_workers_test {

namespace {

// A plain TCP connection to the test server, for what httplib's client does not send.
class RawConnection {
public:
    explicit RawConnection(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        timeval tv{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(static_cast<std::uint16_t>(port));
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    void send_all(const std::string& bytes) {
        std::size_t off = 0;
        while (off < bytes.size()) {
            ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            REQUIRE(n > 0);
            off += static_cast<std::size_t>(n);
        }
    }
    // Reads until the peer closes (or the 10 s receive timeout).
    std::string read_to_end() {
        std::string all;
        char buf[65536];
        while (true) {
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) break;
            all.append(buf, static_cast<std::size_t>(n));
        }
        return all;
    }
    // Reads `count` answers with a Content-Length each; returns them (head + body) in order. The
    // answer at `head_only` (to a HEAD request) has a Content-Length but no body.
    std::vector<std::string> read_answers(std::size_t count, std::size_t head_only = static_cast<std::size_t>(-1)) {
        std::vector<std::string> answers;
        std::string buf;
        char chunk[65536];
        while (answers.size() < count) {
            const auto head_end = buf.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                const std::string head = buf.substr(0, head_end);
                const auto at = head.find("Content-Length: ");
                REQUIRE_MESSAGE(at != std::string::npos, head);
                const std::size_t length = std::stoul(head.substr(at + 16));
                const std::size_t total = head_end + 4 + (answers.size() == head_only ? 0 : length);
                if (buf.size() >= total) {
                    answers.push_back(buf.substr(0, total));
                    buf.erase(0, total);
                    continue;
                }
            }
            ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            REQUIRE_MESSAGE(n > 0, "connection ended after " << answers.size() << " answers");
            buf.append(chunk, static_cast<std::size_t>(n));
        }
        CHECK(buf.empty());
        return answers;
    }

private:
    int fd_ = -1;
};

// Writes wait here while `hold` is set: a writer stuck behind a slow disk. `waiting` counts them.
struct Door {
    std::mutex mu;
    std::condition_variable cv;
    bool hold = false;
    int waiting = 0;
    void pass() {
        std::unique_lock<std::mutex> lock(mu);
        ++waiting;
        cv.notify_all();
        cv.wait(lock, [&] { return !hold; });
        --waiting;
    }
};

int status_of(const std::string& answer) { return std::stoi(answer.substr(9, 3)); }
std::string body_of(const std::string& answer) { return answer.substr(answer.find("\r\n\r\n") + 4); }

}  // namespace

TEST_CASE("front: more clients at once than worker threads each get their whole answer") {
    ServerOptions o;
    o.threads = 2;
    TestServer srv(o);
    srv.create_member("13800000001");
    for (int i = 0; i < 12; ++i) srv.buy("w-" + std::to_string(i), "13800000001", 1000 + i);
    const std::string token = srv.login("13800000001");
    auto expected = srv.get("/api/v1/me/ledger?limit=50", bearer(token));
    REQUIRE(expected);
    REQUIRE(expected->status == 200);

    constexpr int kClients = 24;
    constexpr int kRequests = 5;
    std::atomic<int> whole{0};
    run_concurrently(kClients, [&](int) {
        auto client = srv.new_client();
        for (int r = 0; r < kRequests; ++r) {
            auto res = client->Get("/api/v1/me/ledger?limit=50", bearer(token));
            if (res && res->status == 200 && res->body == expected->body) whole.fetch_add(1);
        }
    });
    CHECK(whole.load() == kClients * kRequests);
}

TEST_CASE("front: pipelined requests on one connection are answered in the order they were sent") {
    TestServer srv;
    srv.create_member("13800000001");
    const std::string token = srv.login("13800000001");
    RawConnection conn(srv.port());
    conn.send_all(
        "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
        "GET /api/v1/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
        token +
        "\r\n\r\n"
        "GET /api/v1/no-such-route HTTP/1.1\r\nHost: t\r\n\r\n"
        "HEAD /api/v1/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
        token + "\r\n\r\n");
    auto answers = conn.read_answers(4, 3);
    REQUIRE(answers.size() == 4);
    CHECK(status_of(answers[0]) == 200);
    CHECK(body_of(answers[0]).find("\"ok\"") != std::string::npos);
    CHECK(status_of(answers[1]) == 200);
    CHECK(json::parse(body_of(answers[1]))["points"]["balance"] == 0);
    CHECK(status_of(answers[2]) == 404);
    CHECK(json::parse(body_of(answers[2]))["error"]["code"] == "not_found");
    // The HEAD answer: the head of GET /api/v1/me, without its body.
    CHECK(status_of(answers[3]) == 200);
    CHECK(body_of(answers[3]).empty());
    CHECK(answers[3].find("Content-Length: " + std::to_string(body_of(answers[1]).size()) + "\r\n") !=
          std::string::npos);
}

TEST_CASE("front: a request that arrives while the one before it is at a worker is answered after it") {
    TestServer srv;
    srv.create_member("13800000001");
    const std::string token = srv.login("13800000001");
    RawConnection conn(srv.port());
    const std::string me = "GET /api/v1/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token + "\r\n\r\n";
    const std::string health = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
    int in_order = 0;
    for (int i = 0; i < 100; ++i) {
        conn.send_all(me);  // two sends: the second often lands while the first is being answered
        conn.send_all(health);
        auto answers = conn.read_answers(2);
        if (answers.size() == 2 && status_of(answers[0]) == 200 &&
            body_of(answers[0]).find("\"points\"") != std::string::npos && status_of(answers[1]) == 200 &&
            body_of(answers[1]).find("\"ok\"") != std::string::npos)
            ++in_order;
    }
    CHECK(in_order == 100);
}

TEST_CASE("front: an HTTP/1.0 request without keep-alive gets its answer, then the connection closes") {
    TestServer srv;
    RawConnection conn(srv.port());
    conn.send_all("GET /healthz HTTP/1.0\r\n\r\n");
    const std::string all = conn.read_to_end();
    REQUIRE(all.size() > 12);
    CHECK(status_of(all) == 200);
    CHECK(all.find("Connection: close\r\n") != std::string::npos);
    CHECK(body_of(all).find("\"ok\"") != std::string::npos);
}

TEST_CASE("front: a web file larger than the socket buffers arrives whole") {
    std::string big(3 * 1024 * 1024, 'x');
    for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + (i / 4096) % 26);
    ServerOptions o;
    o.web_files = {{"index.html", "<!doctype html><title>t</title>"}, {"big.js", big}};
    TestServer srv(o);
    RawConnection conn(srv.port());
    conn.send_all("GET /big.js HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    auto answers = conn.read_answers(2);
    REQUIRE(answers.size() == 2);
    CHECK(status_of(answers[0]) == 200);
    CHECK(body_of(answers[0]) == big);
    CHECK(status_of(answers[1]) == 200);
}

TEST_CASE("front: reads are answered while every write thread waits for the database") {
    auto door = std::make_shared<Door>();
    ServerOptions o;
    o.threads = 4;
    o.configure = [](AppConfig& c) { c.read_threads = 2; };  // so 2 threads for writes
    o.store = [door](const AppConfig& c) -> std::unique_ptr<memberdesk::server::Store> {
        return std::make_unique<GatedStore>(
            memberdesk::server::open_store(c), [door] { door->pass(); }, nullptr);
    };
    TestServer srv(o);
    const auto id = srv.create_member("13800000001");
    const std::string token = srv.login("13800000001");

    {
        std::lock_guard<std::mutex> lock(door->mu);
        door->hold = true;
    }
    // Six purchases: two hold both write threads at the door, four wait for a thread -- more
    // requests than the server has threads, so the reads need places of their own too.
    std::vector<std::thread> buyers;
    std::atomic<int> bought{0};
    for (int i = 0; i < 6; ++i) {
        buyers.emplace_back([&, i] {
            auto client = srv.new_client();
            const json body = {
                {"txn_id", "held-" + std::to_string(i)}, {"member", id}, {"amount", 10000}, {"store", "S1"}};
            auto res = client->Post("/api/v1/pos/purchases", pos(), body.dump(), "application/json");
            if (res && res->status == 201) bought.fetch_add(1);
        });
    }
    {
        std::unique_lock<std::mutex> lock(door->mu);
        REQUIRE(door->cv.wait_for(lock, std::chrono::seconds(10), [&] { return door->waiting == 2; }));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the other four reach the front's queue

    // Meanwhile the reads go through, on the read threads: more of them than there are read threads.
    auto client = srv.new_client();
    for (int i = 0; i < 5; ++i) {
        auto me = client->Get("/api/v1/me", bearer(token));
        REQUIRE(me);
        CHECK(me->status == 200);
        CHECK(json::parse(me->body)["points"]["balance"] == 0);
        auto health = client->Get("/healthz");
        REQUIRE(health);
        CHECK(health->status == 200);
    }
    {
        std::lock_guard<std::mutex> lock(door->mu);
        CHECK(door->waiting == 2);  // the writes were still held while the reads were answered
        door->hold = false;
    }
    door->cv.notify_all();
    for (auto& t : buyers) t.join();
    CHECK(bought.load() == 6);
    CHECK(srv.balance(token) == 60);
}

TEST_CASE("front: asked for as many read threads as threads, writes still keep one") {
    ServerOptions o;
    o.threads = 2;
    o.configure = [](AppConfig& c) { c.read_threads = 2; };
    TestServer srv(o);
    const auto id = srv.create_member("13800000001");
    const std::string token = srv.login("13800000001");
    auto client = srv.new_client();
    const json body = {{"txn_id", "clamped-1"}, {"member", id}, {"amount", 10000}, {"store", "S1"}};
    auto res = client->Post("/api/v1/pos/purchases", pos(), body.dump(), "application/json");
    REQUIRE(res);
    CHECK(res->status == 201);
    CHECK(srv.balance(token) == 10);
}

TEST_CASE("front: by default reads get 4 threads per core with SQLite and half with PostgreSQL, never more than half") {
    using memberdesk::server::default_read_threads;
    const std::size_t cores = std::max<unsigned>(1, std::thread::hardware_concurrency());
    CHECK(default_read_threads(1024, true) == std::max<std::size_t>(4, 4 * cores));
    CHECK(default_read_threads(64, false) == 32);
    CHECK(default_read_threads(6, true) == 3);
    CHECK(default_read_threads(1, true) == 0);  // one pool
    CHECK(default_read_threads(1, false) == 0);
}

}  // namespace front_workers_test
