// The member's inbox (domain.md §7): every message sent to them, newest first, with unread state.
// The inbox shows each message's inbox text, which never holds a code.
#include <cstdlib>
#include <string>

#include "service/internal.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/self_store.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using nlohmann::json;

Result<json> Service::messages(std::int64_t member_id, const std::optional<std::string>& cursor, int limit) {
    return guarded<json>([&]() -> Result<json> {
        if (limit < 1 || limit > 100) return err(ErrorCode::invalid_field, "limit: must be from 1 to 100");
        std::optional<std::int64_t> before;
        if (cursor && !cursor->empty()) {
            const bool digits = cursor->size() <= 18 && cursor->find_first_not_of("0123456789") == std::string::npos;
            if (!digits) return err(ErrorCode::invalid_field, "cursor: not a next_cursor value of this list");
            before = std::strtoll(cursor->c_str(), nullptr, 10);
        }
        return impl_->store->read([&](ReadTx& tx) -> Result<json> {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return err(ErrorCode::member_not_found, "no such member");
            auto rows = tx.self().messages_of(member_id, before, limit + 1);
            const bool more = static_cast<int>(rows.size()) > limit;
            if (more) rows.resize(static_cast<std::size_t>(limit));
            json out = {{"messages", json::array()},
                        {"unread", tx.self().unread_count(member_id)},
                        {"next_cursor", more && !rows.empty() ? json(std::to_string(rows.back().id)) : json(nullptr)}};
            for (const auto& r : rows)
                out["messages"].push_back({{"id", r.id},
                                           {"template", r.template_id},
                                           {"text", r.inbox_text},
                                           {"created_at", format_rfc3339(r.created_at)},
                                           {"read", r.read_at.has_value()}});
            return out;
        });
    });
}

Result<json> Service::mark_messages_read(std::int64_t member_id, std::int64_t up_to_id) {
    return guarded<json>([&]() -> Result<json> {
        const UnixSeconds t = now();
        return impl_->store->write([&](WriteTx& tx) -> Result<json> {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return err(ErrorCode::member_not_found, "no such member");
            tx.self().mark_read(member_id, up_to_id, t);
            return json{{"unread", tx.self().unread_count(member_id)}};
        });
    });
}

}  // namespace memberdesk::server
