// Stores, regions and per-store POS keys (domain.md §8). A store's key is shown once, kept as its
// SHA-256 (like session tokens: the key is 256 random bits, so a slow hash adds nothing), and posts
// only for its own store; the chain-wide --pos-key acts for any store.
#include <algorithm>

#include "service/crypto.hpp"
#include "service/scope.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using access::err;
using access::guarded;
using access::valid_label;
using nlohmann::json;

namespace {

constexpr const char* kPosKeyPrefix = "mdpos_";

void audit_row(WriteTx& tx, const Actor& who, const std::string& action, const json& detail, UnixSeconds now,
               const std::string& store) {
    AuditRecord a;
    a.at = now;
    a.actor_kind = to_string(who.kind);
    a.actor_id = who.id;
    a.actor_name = who.username;
    a.action = action;
    a.detail = detail.dump();
    a.store = store;
    tx.insert_audit(a);
}

json store_json(const StoreRecord& s) { return {{"id", s.id}, {"name", s.name}, {"region", s.region_id}}; }

}  // namespace

Result<Reply> Service::create_region(const Actor& who, const std::string& id, const std::string& name) {
    return guarded<Reply>([&]() -> Result<Reply> {
        if (!access::valid_short_id(id)) return err(ErrorCode::invalid_id, "id: 1 to 16 letters, digits, - or _");
        if (!valid_label(name)) return err(ErrorCode::invalid_name, "name: 1 to 200 characters of text");
        const UnixSeconds t = now();
        return impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
            if (tx.region_by_id(id)) return err(ErrorCode::already_exists, "a region with this id exists");
            tx.insert_region(RegionRecord{id, name, t});
            audit_row(tx, who, "create_region", {{"region", id}, {"name", name}}, t, "");
            return Reply{Reply::Kind::created, json{{"id", id}, {"name", name}}};
        });
    });
}

Result<Reply> Service::create_store(const Actor& who, const std::string& id, const std::string& name,
                                    const std::string& region) {
    return guarded<Reply>([&]() -> Result<Reply> {
        if (!access::valid_short_id(id)) return err(ErrorCode::invalid_id, "id: 1 to 16 letters, digits, - or _");
        if (!valid_label(name)) return err(ErrorCode::invalid_name, "name: 1 to 200 characters of text");
        const UnixSeconds t = now();
        return impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
            if (!tx.region_by_id(region)) return err(ErrorCode::unknown_region, "no region with this id");
            if (tx.store_by_id(id)) return err(ErrorCode::already_exists, "a store with this id exists");
            StoreRecord s{id, name, region, t};
            tx.insert_store(s);
            audit_row(tx, who, "create_store", {{"name", name}, {"region", region}}, t, id);
            return Reply{Reply::Kind::created, store_json(s)};
        });
    });
}

Result<json> Service::list_stores() {
    return guarded<json>([&]() -> Result<json> {
        return impl_->store->read([&](ReadTx& tx) -> Result<json> {
            json regions = json::array(), stores = json::array();
            for (const auto& r : tx.regions()) regions.push_back({{"id", r.id}, {"name", r.name}});
            for (const auto& s : tx.stores()) {
                json j = store_json(s);
                json keys = json::array();  // ids only: a key is never shown again
                for (const auto& k : tx.pos_keys_of(s.id))
                    if (!k.revoked_at) keys.push_back({{"key_id", k.id}, {"created_at", format_rfc3339(k.created_at)}});
                j["pos_keys"] = keys;
                stores.push_back(std::move(j));
            }
            return json{{"regions", regions}, {"stores", stores}};
        });
    });
}

Result<Reply> Service::issue_pos_key(const Actor& who, const std::string& store) {
    return guarded<Reply>([&]() -> Result<Reply> {
        const UnixSeconds t = now();
        const std::string key = kPosKeyPrefix + crypto::random_token();
        const std::string key_id = "pk_" + crypto::random_code(10);
        return impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
            if (!tx.store_by_id(store)) return err(ErrorCode::unknown_store, "no store with this id");
            tx.insert_pos_key(PosKeyRecord{key_id, store, crypto::hash_token(key), t, std::nullopt});
            audit_row(tx, who, "issue_pos_key", {{"key_id", key_id}}, t, store);
            return Reply{Reply::Kind::created, json{{"key_id", key_id}, {"key", key}, {"store", store}}};
        });
    });
}

Result<Reply> Service::revoke_pos_key(const Actor& who, const std::string& key_id) {
    return guarded<Reply>([&]() -> Result<Reply> {
        const UnixSeconds t = now();
        return impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
            std::string store;
            // Ids are random; the store of the key is found among the stores' keys.
            for (const auto& s : tx.stores())
                for (const auto& k : tx.pos_keys_of(s.id))
                    if (k.id == key_id && !k.revoked_at) store = s.id;
            if (store.empty() || !tx.revoke_pos_key(key_id, t))
                return err(ErrorCode::pos_key_not_found, "no active POS key with this id");
            audit_row(tx, who, "revoke_pos_key", {{"key_id", key_id}}, t, store);
            return Reply{Reply::Kind::empty, json(nullptr)};
        });
    });
}

Result<Actor> Service::authenticate_pos_key(const std::string& key) {
    return guarded<Actor>([&]() -> Result<Actor> {
        if (key.rfind(kPosKeyPrefix, 0) != 0 || key.size() > 128)
            return err(ErrorCode::unauthorized, "invalid X-Api-Key");
        auto k = impl_->store->read([&](ReadTx& tx) { return tx.pos_key_by_hash(crypto::hash_token(key)); });
        if (!k || k->revoked_at) return err(ErrorCode::unauthorized, "invalid or revoked X-Api-Key");
        Actor a;
        a.kind = Actor::Kind::pos;
        a.id = k->id;
        a.store = k->store_id;
        return a;
    });
}

std::optional<Error> Service::store_mismatch(const Actor& who, const std::string& store) {
    if (who.store.empty() || who.store == store) return std::nullopt;
    return err(ErrorCode::store_mismatch, "this key or account acts for store " + who.store + " only");
}

std::optional<Error> Service::refund_store_mismatch(const Actor& who, const std::string& txn_id) {
    if (who.store.empty()) return std::nullopt;
    auto r = guarded<std::optional<std::string>>([&]() -> Result<std::optional<std::string>> {
        return impl_->store->read([&](ReadTx& tx) -> std::optional<std::string> {
            auto p = tx.purchase_by_txn(txn_id);
            if (!p) return std::nullopt;
            return p->second.store;
        });
    });
    if (!r) return r.error();
    // An unknown txn_id is left to the refund itself (unknown_transaction).
    if (!*r) return std::nullopt;
    return store_mismatch(who, **r);
}

}  // namespace memberdesk::server
