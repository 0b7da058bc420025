// Consents (domain.md §7, PIPL): each choice is a record (what, granted or not, text version, channel,
// when); the current choice is the newest record per purpose. A member without any record (created
// by staff) has made no choice, and nothing is taken away from them until they do.
#include <map>
#include <string>

#include "memberdesk/codes.hpp"
#include "service/internal.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/self_store.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using nlohmann::json;

namespace {

const char* const kChangeable[] = {"reminders", "marketing", "personalised_offers"};

json consents_json(const std::vector<ConsentRecord>& records) {
    std::map<std::string, bool> current;
    json history = json::array();
    for (const auto& r : records) {
        current[r.purpose] = r.granted;
        history.push_back({{"purpose", r.purpose},
                           {"granted", r.granted},
                           {"text_version", r.text_version},
                           {"channel", r.channel},
                           {"at", format_rfc3339(r.at)}});
    }
    json now = json::object();
    for (const char* p : kChangeable) now[p] = current.count(p) ? json(current[p]) : json(nullptr);
    now["terms"] = current.count("terms") ? json(current["terms"]) : json(nullptr);
    return {{"current", now}, {"text_version", kConsentTextVersion}, {"history", history}};
}
}  // namespace

Result<json> Service::consents(std::int64_t member_id) {
    return guarded<json>([&]() -> Result<json> {
        return impl_->store->read([&](ReadTx& tx) -> Result<json> {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return err(ErrorCode::member_not_found, "no such member");
            return consents_json(tx.self().consents_of(member_id));
        });
    });
}

Result<json> Service::set_consents(std::int64_t member_id, const ConsentChoices& c, const std::string& channel) {
    return guarded<json>([&]() -> Result<json> {
        const UnixSeconds t = now();
        return impl_->store->write([&](WriteTx& tx) -> Result<json> {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return err(ErrorCode::member_not_found, "no such member");
            auto records = tx.self().consents_of(member_id);
            std::map<std::string, bool> current;
            for (const auto& r : records) current[r.purpose] = r.granted;
            const std::pair<const char*, std::optional<bool>> wanted[] = {
                {"reminders", c.reminders}, {"marketing", c.marketing}, {"personalised_offers", c.personalised_offers}};
            json changed = json::object();
            for (const auto& [purpose, value] : wanted) {
                if (!value) continue;
                auto it = current.find(purpose);
                if (it != current.end() && it->second == *value) continue;  // only changes are records
                ConsentRecord r{0, member_id, purpose, *value, kConsentTextVersion, channel, t};
                tx.self().insert_consent(r);
                records.push_back(r);
                changed[purpose] = *value;
            }
            if (!changed.empty()) {
                Actor who;
                who.kind = Actor::Kind::member;
                who.id = std::to_string(member_id);
                impl_->audit(tx, who, "consents", member_id, changed, t);
            }
            return consents_json(records);
        });
    });
}

bool Service::personalised_offers_allowed(std::int64_t member_id) {
    try {
        return impl_->store->read([&](ReadTx& tx) {
            bool allowed = true;  // no choice recorded: as before consents existed
            for (const auto& r : tx.self().consents_of(member_id))
                if (r.purpose == "personalised_offers") allowed = r.granted;
            return allowed;
        });
    } catch (const std::exception&) {
        return false;  // in doubt, no personalised offers
    }
}

}  // namespace memberdesk::server
