// Members: create, read, list, edit and erase (admin), and a member's data export.
#include "service/internal.hpp"
#include "storage/self_store.hpp"

namespace memberdesk::server {

Result<Reply> Service::Impl::create_member(const Actor& who, const NewMember& nm, UnixSeconds now) {
    if (!valid_phone(nm.phone))
        return err(ErrorCode::invalid_phone, "phone must be 6 to 20 digits, optionally after a +");
    if (!valid_pin(nm.pin)) return err(ErrorCode::invalid_pin, "PIN must be exactly 6 digits");
    if (auto e = check_name(nm.name)) return *e;
    if (auto e = check_birthday(nm.birthday, zone, now)) return *e;
    const bool taken = store->read([&](ReadTx& tx) { return tx.member_by_phone(nm.phone).has_value(); });
    if (taken) return err(ErrorCode::phone_taken, "a member with this phone already exists");
    const std::string pin_hash = crypto::hash_pin(nm.pin, opt.kdf_opslimit, opt.kdf_memlimit);
    try {
        return store->write([&](WriteTx& tx) -> Result<Reply> {
            if (tx.member_by_phone(nm.phone))
                return err(ErrorCode::phone_taken, "a member with this phone already exists");
            if (nm.store && !tx.store_by_id(*nm.store)) return err(ErrorCode::unknown_store, "no such store");
            NewMemberRecord rec{nm.phone, nm.name, pin_hash, nm.birthday, now, nm.store};
            const std::int64_t id = tx.insert_member(rec);
            MemberState s = rebuilt_snapshot(tx, id, now);
            Plan plan = join(program, zone, s, now);
            json detail = json::object();
            if (!plan.empty()) {
                AppliedPlan ap = tx.apply_plan(id, plan, program, now);
                state_after(tx, std::move(s), plan, ap, now);
                detail = plan_detail(plan, ap);
            } else {
                save_snapshot(tx, s);
            }
            if (nm.store) detail["store"] = *nm.store;
            audit(tx, who, "create_member", id, detail, now);
            return Reply{Reply::Kind::created, {{"id", id}}};
        });
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::unique_violation)
            return err(ErrorCode::phone_taken, "a member with this phone already exists");
        throw;
    }
}

Result<json> Service::export_member(std::int64_t member_id) {
    return guarded<json>([&] {
        const UnixSeconds t = now();
        return impl_->with_member<
            json>(member_id, t, [&](ReadTx& tx, const MemberRecord& m, const MemberState&) -> Result<json> {
            const ProgramConfig& p = impl_->program;
            const MemberState s = tx.load_state(member_id);  // the export lists the whole history
            json profile = {{"id", m.id},
                            {"name", m.name},
                            {"phone", m.phone},
                            {"birthday", m.birthday ? json(format_date(*m.birthday)) : json(nullptr)},
                            {"joined_at", format_rfc3339(m.joined_at)}};
            json purchases = json::array();
            for (const auto& pu : s.purchases)
                purchases.push_back({{"txn_id", pu.txn_id},
                                     {"amount", pu.amount},
                                     {"refunded", pu.refunded},
                                     {"at", format_rfc3339(pu.at)},
                                     {"store", pu.store},
                                     {"points", pu.points}});
            json coupons = json::array();
            for (const auto& c : tx.coupons_of(member_id)) {
                json cj = json(build_coupon_view(c.coupon, t));
                cj["reason"] = c.reason;
                coupons.push_back(std::move(cj));
            }
            json redemptions = json::array();
            for (const auto& r : tx.redemptions(member_id))
                redemptions.push_back({{"id", r.id},
                                       {"reward_id", r.reward_id},
                                       {"points", r.points},
                                       {"created_at", format_rfc3339(r.created_at)}});
            json feedback = json::array();
            for (const auto& f : tx.feedback(member_id)) {
                json one = {{"id", f.id},
                            {"rating", f.rating},
                            {"comment", f.comment},
                            {"created_at", format_rfc3339(f.created_at)}};
                if (f.product && f.service && f.environment)
                    one["scores"] = {{"product", *f.product}, {"service", *f.service}, {"environment", *f.environment}};
                if (!f.store.empty()) one["store"] = f.store;
                feedback.push_back(std::move(one));
            }
            json lots = json::array();
            for (const auto& l : s.lots)
                lots.push_back({{"id", l.id},
                                {"original", l.original},
                                {"remaining", l.remaining},
                                {"earned_at", format_rfc3339(l.earned_at)},
                                {"available_at", format_rfc3339(l.available_at)},
                                {"expires_at", l.expires_at ? json(format_rfc3339(*l.expires_at)) : json(nullptr)},
                                {"source", l.source}});
            json sessions = json::array();  // metadata only: never the token or its hash
            for (const auto& se : tx.sessions_of(member_id))
                sessions.push_back({{"kind", se.kind},
                                    {"created_at", format_rfc3339(se.created_at)},
                                    {"expires_at", format_rfc3339(se.expires_at)}});
            // Referral facts: the member's code, the code they joined with, and the friends they
            // invited (dates and points only: the friends' data is theirs).
            json referral = json::object();
            {
                SelfTx& st = tx.self();
                auto code = st.referral_code_of(member_id);
                referral["code"] = code ? json(*code) : json(nullptr);
                json by = nullptr;
                if (auto rec = st.referral_of(member_id))
                    by = {{"code", rec->code},
                          {"joined_at", format_rfc3339(rec->created_at)},
                          {"rewarded_at", rec->rewarded_at ? json(format_rfc3339(*rec->rewarded_at)) : json(nullptr)},
                          {"points", rec->new_member_points},
                          {"clawed_back_at",
                           rec->clawed_back_at ? json(format_rfc3339(*rec->clawed_back_at)) : json(nullptr)}};
                referral["joined_with_code"] = by;
                json invited = json::array();
                for (const auto& rec : st.referrals_by(member_id))
                    invited.push_back(
                        {{"joined_at", format_rfc3339(rec.created_at)},
                         {"rewarded_at", rec.rewarded_at ? json(format_rfc3339(*rec.rewarded_at)) : json(nullptr)},
                         {"points", rec.referrer_points},
                         {"clawed_back_at",
                          rec.clawed_back_at ? json(format_rfc3339(*rec.clawed_back_at)) : json(nullptr)}});
                referral["invited"] = invited;
            }
            return json{{"exported_at", format_rfc3339(t)},
                        {"program", p.id},
                        {"profile", profile},
                        {"points", points_json(balances(p, s, t), s, t)},
                        {"tier", tier_brief(p, s.tier)},
                        {"ledger", entries_json(tx.ledger_all(member_id))},
                        {"lots", lots},
                        {"sessions", sessions},
                        {"purchases", purchases},
                        {"coupons", coupons},
                        {"redemptions", redemptions},
                        {"feedback", feedback},
                        {"referral", referral}};
        });
    });
}

Result<Reply> Service::erase_member(const Actor& who, std::int64_t member_id) {
    return guarded<Reply>([&]() -> Result<Reply> {
        const UnixSeconds t = now();
        return impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return unknown_member();
            impl_->change_member(tx, member_id, t, [&] { tx.erase_member(member_id, t); });
            impl_->audit(tx, who, "erase_member", member_id, json::object(), t);
            return Reply{Reply::Kind::empty, json(nullptr)};
        });
    });
}

Result<Reply> Service::create_member(const Actor& who, const NewMember& m) {
    return guarded<Reply>([&] { return impl_->create_member(who, m, now()); });
}

json Service::Impl::admin_member_json(const MemberRecord& m, const MemberState& s, UnixSeconds t) const {
    const Impl& im = *this;
    const ProgramConfig& p = im.program;
    const TierProgress tp = tier_progress(p, im.zone, s, t);
    json tier = tier_brief(p, s.tier);
    tier["since"] = format_rfc3339(s.tier.since);
    tier["percent"] = tp.percent;
    tier["next_tier_id"] = tp.next_tier_id;
    tier["window_spend"] = tp.window_spend;
    return json{{"id", m.id},
                {"name", m.name},
                {"phone", m.phone},
                {"birthday", m.birthday ? json(format_date(*m.birthday)) : json(nullptr)},
                {"joined_at", format_rfc3339(m.joined_at)},
                {"joined_store", m.joined_store.empty() ? json(nullptr) : json(m.joined_store)},
                {"erased", m.erased_at.has_value()},
                {"points", points_json(balances(p, s, t), s, t)},
                {"tier", tier},
                {"segment", to_string(segment_of(p, im.zone, s, t))},
                {"coupons", json(coupon_counts(s, t))},
                {"purchases", static_cast<std::int64_t>(s.purchases.size()) + s.earlier_purchases.count}};
}

Result<json> Service::get_member(std::int64_t member_id) {
    return guarded<json>([&]() -> Result<json> {
        const UnixSeconds t = now();
        // Erased members stay visible to admins (anonymised), so read without the erased filter.
        auto exists = impl_->store->read([&](ReadTx& tx) { return tx.member_by_id(member_id); });
        if (!exists) return unknown_member();
        if (exists->erased_at) {
            MemberState s = impl_->store->read([&](ReadTx& tx) { return tx.load_state(member_id); });
            return impl_->admin_member_json(*exists, s, t);
        }
        return impl_->with_member<json>(member_id, t,
                                        [&](ReadTx&, const MemberRecord& m, const MemberState& s) -> Result<json> {
                                            return impl_->admin_member_json(m, s, t);
                                        });
    });
}

Result<json> Service::list_members(const std::optional<std::string>& phone, int limit,
                                   const std::optional<std::string>& cursor) {
    return guarded<json>([&]() -> Result<json> {
        if (limit < 1 || limit > 100) return err(ErrorCode::invalid_field, "limit: must be from 1 to 100");
        std::optional<std::int64_t> after;
        if (cursor && !cursor->empty()) {
            if (!all_digits(*cursor) || cursor->size() > 18)
                return err(ErrorCode::invalid_field, "cursor: not a next_cursor value of this list");
            after = std::strtoll(cursor->c_str(), nullptr, 10);
        }
        std::optional<std::string> ph;
        if (phone && !phone->empty()) ph = *phone;
        auto rows = impl_->store->read([&](ReadTx& tx) { return tx.list_members(ph, after, limit + 1); });
        json out = {{"members", json::array()}, {"next_cursor", nullptr}};
        const bool more = static_cast<int>(rows.size()) > limit;
        if (more) rows.resize(static_cast<std::size_t>(limit));
        for (const auto& m : rows) {
            const TierDef* td = impl_->program.tier(m.tier_id);
            if (!td && !impl_->program.tiers.empty()) td = &impl_->program.tiers.front();
            out["members"].push_back({{"id", m.id},
                                      {"name", m.name},
                                      {"phone", m.phone},
                                      {"tier", td ? td->id : m.tier_id},
                                      {"joined_at", format_rfc3339(m.joined_at)},
                                      {"erased", m.erased_at.has_value()}});
        }
        if (more && !rows.empty()) out["next_cursor"] = std::to_string(rows.back().id);
        return out;
    });
}

Result<Reply> Service::patch_member(const Actor& who, std::int64_t member_id, const MemberPatch& p) {
    return guarded<Reply>([&]() -> Result<Reply> {
        const UnixSeconds t = now();
        if (p.phone && !valid_phone(*p.phone))
            return err(ErrorCode::invalid_phone, "phone must be 6 to 20 digits, optionally after a +");
        if (p.pin && !valid_pin(*p.pin)) return err(ErrorCode::invalid_pin, "PIN must be exactly 6 digits");
        if (p.name)
            if (auto e = check_name(*p.name)) return *e;
        if (p.birthday)
            if (auto e = check_birthday(*p.birthday, impl_->zone, t)) return *e;
        std::string pin_hash;
        if (p.pin) pin_hash = crypto::hash_pin(*p.pin, impl_->opt.kdf_opslimit, impl_->opt.kdf_memlimit);
        try {
            auto r = impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
                auto m = tx.member_by_id(member_id);
                if (!m || m->erased_at) return unknown_member();
                json fields = json::array();
                if (p.phone && *p.phone != m->phone) {
                    if (tx.member_by_phone(*p.phone))
                        return err(ErrorCode::phone_taken, "a member with this phone already exists");
                    m->phone = *p.phone;
                    fields.push_back("phone");
                }
                if (p.name) {
                    m->name = *p.name;
                    fields.push_back("name");
                }
                if (p.birthday) {
                    m->birthday = *p.birthday;
                    fields.push_back("birthday");
                }
                if (p.pin) {
                    m->pin_hash = pin_hash;
                    fields.push_back("pin");
                    tx.delete_member_sessions(member_id);  // a new PIN signs every device out
                }
                impl_->change_member(tx, member_id, t, [&] { tx.update_member(*m); });
                impl_->audit(tx, who, "patch_member", member_id, {{"fields", fields}}, t);
                return Reply{Reply::Kind::ok, json::object()};
            });
            if (!r) return r;
        } catch (const StoreError& e) {
            if (e.kind() == StoreError::Kind::unique_violation)
                return err(ErrorCode::phone_taken, "a member with this phone already exists");
            throw;
        }
        auto view = get_member(member_id);
        if (!view) return view.error();
        return Reply{Reply::Kind::ok, std::move(*view)};
    });
}

}  // namespace memberdesk::server
