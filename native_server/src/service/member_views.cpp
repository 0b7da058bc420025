// What a signed-in member reads: profile summary, ledger pages, the scannable card.
#include "service/internal.hpp"

namespace memberdesk::server {

Result<MeView> Service::me(std::int64_t member_id, bool kiosk_scope) {
    return guarded<MeView>([&] {
        const UnixSeconds t = now();
        return impl_->with_member<MeView>(
            member_id, t, [&](ReadTx&, const MemberRecord& m, const MemberState& s) -> Result<MeView> {
                MeView v = build_me_view(impl_->program, impl_->zone, s, m.name, m.phone, m.birthday, kiosk_scope, t);
                auto next = next_expiry_of(s, t);
                v.points.next_expiry = next ? std::optional<std::string>(format_rfc3339(*next)) : std::nullopt;
                return v;
            });
    });
}

Result<Service::LedgerEntries> Service::ledger_entries(std::int64_t member_id, const LedgerQuery& q) {
    return guarded<LedgerEntries>([&]() -> Result<LedgerEntries> {
        LedgerFilter f;
        if (q.limit < 1 || q.limit > 100) return err(ErrorCode::invalid_field, "limit: must be from 1 to 100");
        f.limit = q.limit;
        if (q.type) {
            auto t = entry_type_from_string(*q.type);
            if (!t) return err(ErrorCode::invalid_field, "type: unknown ledger entry type " + *q.type);
            f.type = *t;
        }
        f.from = q.from;
        f.to = q.to;
        if (q.from && q.to && *q.from > *q.to) return err(ErrorCode::invalid_field, "from: must not be after to");
        if (q.cursor && !q.cursor->empty()) {
            auto c = decode_cursor(*q.cursor);
            if (!c) return err(ErrorCode::invalid_field, "cursor: not a next_cursor value of this list");
            f.after = *c;
        }
        const UnixSeconds t = now();
        return impl_->with_member_light<LedgerEntries>(member_id, t,
                                                       [&](ReadTx& tx, const MemberRecord&) -> Result<LedgerEntries> {
                                                           LedgerPage page = tx.ledger(member_id, f);
                                                           LedgerEntries out;
                                                           out.entries = std::move(page.entries);
                                                           if (page.next) out.next_cursor = encode_cursor(*page.next);
                                                           return out;
                                                       });
    });
}

LedgerPageView Service::LedgerEntries::into_view() && {
    LedgerPageView v;
    v.entries.reserve(entries.size());
    for (auto& e : entries) v.entries.push_back(build_ledger_entry_view(std::move(e)));
    v.next_cursor = std::move(next_cursor);
    return v;
}

Result<LedgerPageView> Service::ledger(std::int64_t member_id, const LedgerQuery& q) {
    auto page = ledger_entries(member_id, q);
    if (!page) return page.error();
    return std::move(*page).into_view();
}

Result<CardView> Service::card(std::int64_t member_id) {
    return guarded<CardView>([&]() -> Result<CardView> {
        const UnixSeconds t = now();
        const std::string code = crypto::random_member_code();
        const int secs = std::max(10, impl_->opt.member_code_seconds);
        const bool ok = impl_->store->write([&](WriteTx& tx) {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return false;
            tx.purge_expired(t);
            tx.insert_member_code(MemberCodeRecord{crypto::hash_token(code), member_id, t + secs});
            return true;
        });
        if (!ok) return unknown_member();
        CardView v;
        v.member_code = code;
        v.expires_at = format_rfc3339(t + secs);
        v.refresh_after_seconds = std::max(5, secs - 30);
        return v;
    });
}

}  // namespace memberdesk::server
