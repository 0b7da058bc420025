// The member's own profile changes (domain.md §7): the name, and the birthday once -- later only
// staff change it, since birthday coupons depend on it.
#include <string>

#include "service/internal.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using nlohmann::json;

Result<Reply> Service::patch_me(std::int64_t member_id, const std::optional<std::string>& name,
                                const std::optional<CivilDate>& birthday) {
    try {
        const UnixSeconds t = now();
        if (name)
            if (auto bad = check_name(*name)) return *bad;
        if (auto bad = check_birthday(birthday, impl_->zone, t)) return *bad;
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
                impl_->change_member(tx, member_id, t, [&] { tx.update_member(*m); });
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
