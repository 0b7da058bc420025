// A database that cannot answer is the server's problem, never the member's: 503 service_busy with
// Retry-After, and the session stays valid for the retry.
#include <atomic>

#include "test_server.hpp"

using namespace mdtest;
using memberdesk::server::ReadTx;
using memberdesk::server::Store;
using memberdesk::server::StoreError;
using memberdesk::server::WriteTx;

namespace {

// The store the suite runs on (SQLite, or PostgreSQL under tests/pg/run), but every transaction throws "busy" while `busy` is set.
class BusyWhenToldStore : public Store {
public:
    BusyWhenToldStore(std::unique_ptr<Store> inner, std::shared_ptr<std::atomic<bool>> busy)
        : inner_(std::move(inner)), busy_(std::move(busy)) {}
    std::string backend() const override { return inner_->backend(); }
    int schema_version() override { return inner_->schema_version(); }

protected:
    void run_write(const std::function<void(WriteTx&)>& fn) override {
        throw_if_busy();
        inner_->write([&](WriteTx& tx) { fn(tx); });
    }
    void run_read(const std::function<void(ReadTx&)>& fn) override {
        throw_if_busy();
        inner_->read([&](ReadTx& tx) { fn(tx); });
    }

private:
    void throw_if_busy() const {
        if (busy_->load()) throw StoreError(StoreError::Kind::busy, "database is locked");
    }
    std::unique_ptr<Store> inner_;
    std::shared_ptr<std::atomic<bool>> busy_;
};

ServerOptions busy_when_told(const std::shared_ptr<std::atomic<bool>>& busy) {
    ServerOptions o;
    o.store = [busy](const AppConfig& c) -> std::unique_ptr<Store> {
        return std::make_unique<BusyWhenToldStore>(memberdesk::server::open_store(c), busy);
    };
    return o;
}

}  // namespace

TEST_CASE("a busy database while checking a member's token answers 503 with Retry-After, not 401") {
    auto busy = std::make_shared<std::atomic<bool>>(false);
    TestServer srv(busy_when_told(busy));
    srv.create_member("13800000001", "123456");
    const std::string token = srv.login("13800000001", "123456");
    expect_status(srv.get("/api/v1/me", bearer(token)), 200);

    busy->store(true);
    auto res = srv.get("/api/v1/me", bearer(token));
    expect_error(res, 503, "service_busy");
    CHECK(res->get_header_value("Retry-After") == "1");
    expect_error(srv.get("/api/v1/me/ledger", bearer(token)), 503, "service_busy");

    busy->store(false);
    expect_status(srv.get("/api/v1/me", bearer(token)), 200);  // the session survived
}

TEST_CASE("a busy database while a POS or admin writes answers 503 service_busy with Retry-After") {
    auto busy = std::make_shared<std::atomic<bool>>(false);
    TestServer srv(busy_when_told(busy));
    const auto id = srv.create_member("13800000001", "123456");
    busy->store(true);
    auto buy =
        srv.post("/api/v1/pos/purchases", {{"txn_id", "T1"}, {"member", id}, {"amount", 3000}, {"store", "S1"}}, pos());
    expect_error(buy, 503, "service_busy");
    CHECK(buy->get_header_value("Retry-After") == "1");
    expect_error(srv.get("/api/v1/admin/members/" + std::to_string(id), admin()), 503, "service_busy");
}
