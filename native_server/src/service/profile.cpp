// The member's own profile changes (domain.md §7): the name, and the birthday once -- later only
// staff change it, since birthday coupons depend on it.
#include <string>

#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using nlohmann::json;

namespace {
Error err(ErrorCode code, std::string message) { return make_error(code, std::move(message)); }

bool valid_name(const std::string& n) {
    int points = 0;
    bool visible = false;
    for (unsigned char c : n) {
        if (c < 0x20 || c == 0x7f) return false;
        if ((c & 0xc0) != 0x80) ++points;
        if (c != ' ') visible = true;
    }
    return visible && points >= 1 && points <= 100;
}
}  // namespace

Result<Reply> Service::patch_me(std::int64_t member_id, const std::optional<std::string>& name,
                                const std::optional<CivilDate>& birthday) {
    try {
        const UnixSeconds t = now();
        if (name && !valid_name(*name))
            return err(ErrorCode::invalid_name, "name must be 1 to 100 characters, not blank");
        if (birthday && (birthday->year < 1900 || impl_->zone.local_date(t) < *birthday))
            return err(ErrorCode::invalid_birthday, "birthday must be a real date (YYYY-MM-DD) not in the future");
        return impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return err(ErrorCode::member_not_found, "no such member");
            json fields = json::array();
            if (birthday && m->birthday != birthday) {
                if (m->birthday)
                    return err(ErrorCode::birthday_already_set,
                               "birthday: already set; a member of staff can correct it");
                m->birthday = birthday;
                fields.push_back("birthday");
            }
            if (name && *name != m->name) {
                m->name = *name;
                fields.push_back("name");
            }
            if (!fields.empty()) {
                tx.update_member(*m);
                Actor who;
                who.kind = Actor::Kind::member;
                who.id = std::to_string(member_id);
                impl_->audit(tx, who, "patch_me", member_id, {{"fields", fields}}, t);
            }
            return Reply{Reply::Kind::ok, json::object()};
        });
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::busy) return err(ErrorCode::service_busy, "the database is busy; try again");
        return err(ErrorCode::internal_error, e.what());
    }
}

}  // namespace memberdesk::server
