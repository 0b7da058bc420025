// Scheduled reach (domain.md §7; docs/design.md "Scheduled reach"): once a local day, at the
// program's send_at and never in its quiet hours, every member whose next reach day has come gets
// the occasions due that day (core reach.hpp). Each occasion is a unique reach_sent row written in
// the same transaction as its coupon and its message, so it happens once even with several
// processes; members are found by members.reach_due (indexed), never by scanning histories.
#include <chrono>
#include <map>
#include <thread>

#include "service/internal.hpp"
#include "service/outbox.hpp"
#include "storage/self_store.hpp"

#include "memberdesk/reach.hpp"

namespace memberdesk::server {

namespace {

json text_json(const Text& t) { return json{{"zh", t.zh}, {"en", t.en}}; }

Text text_from(const std::string& s) {
    const json j = json::parse(s, nullptr, false);
    if (!j.is_object()) return {s, s};
    return {j.value("zh", ""), j.value("en", "")};
}

json occasion_json(const Occasion& o) { return json(build_reminder_view(o)); }

}  // namespace

// One member on local day `day` at `at` (the day's send time), inside the batch's transaction.
void Service::Impl::reach_member(WriteTx& tx, std::int64_t member_id, const CivilDate& day, UnixSeconds at,
                                 ReachRun& run) {
    SelfTx& st = tx.self();
    const std::int64_t d = days_from_civil(day);
    auto m = tx.member_by_id(member_id);
    if (!m || m->erased_at) {
        st.set_reach_due(member_id, std::nullopt);
        return;
    }
    if (m->joined_at > at) {  // joined after this day's send time: from the next day
        st.set_reach_due(member_id, d + 1);
        return;
    }
    ++run.members;
    MemberState s = prepare(tx, member_id, at);
    std::vector<std::string> done;
    for (const auto& r : st.reach_of(member_id)) done.push_back(r.occasion);
    auto due = due_occasions(program, zone, s, day, at, done);
    if (!due.empty()) {
        // The rows first: one that exists already (another process) drops its occasion.
        std::vector<std::pair<const Occasion*, std::int64_t>> fresh;
        for (const auto& o : due) {
            ReachRecord r;
            r.member_id = member_id;
            r.kind = to_string(o.kind);
            r.occasion = o.key;
            r.day = d;
            r.at = at;
            r.subject = text_json(o.subject).dump();
            r.consent = o.consent;
            if (auto id = st.insert_reach(r)) fresh.emplace_back(&o, *id);
            done.push_back(o.key);
        }
        Plan plan = scalars_plan(s);
        for (const auto& [o, id] : fresh)
            if (o->coupon) {
                plan.coupons.push_back(*o->coupon);
                plan.new_issue_keys.push_back(o->key);
            }
        AppliedPlan ap;
        if (!plan.coupons.empty()) {
            ap = tx.apply_plan(member_id, plan, program, at);
            Actor system;
            system.kind = Actor::Kind::system;
            system.id = "reach";
            audit(tx, system, "reach", member_id, plan_detail(plan, ap), at);
            s = state_after(tx, std::move(s), plan, ap, at);
            run.coupons += static_cast<int>(ap.coupons.size());
        }
        const auto consents = member_consents(st, member_id);
        const std::string locale = fresh.empty() ? "zh" : member_message_locale(st, member_id);
        std::size_t next_coupon = 0;
        for (const auto& [o, id] : fresh) {
            std::optional<std::int64_t> coupon_id, message_id;
            if (o->coupon && next_coupon < ap.coupons.size()) coupon_id = ap.coupons[next_coupon++].id;
            auto c = consents.find(o->consent);
            if (c != consents.end() && c->second) {
                QueuedMessage q;
                q.member_id = member_id;
                q.phone = m->phone;
                q.template_id = std::string("reach_") + to_string(o->kind);
                q.locale = locale;
                q.created_at = at;
                q.text = o->text.in(locale);
                q.inbox = o->text.in(locale);
                json params = {{"occasion", o->key}, {"subject", o->subject.in(locale)}};
                if (o->kind == ReachKind::points_expiry) params["points"] = o->points;
                if (o->kind != ReachKind::birthday && o->kind != ReachKind::winback)
                    params["date"] = format_date(o->date);
                q.params = params.dump();
                message_id = queue_message(st, q, program.name.in(locale), opt.deliver_messages, 0);
                ++run.messages;
            }
            st.set_reach_refs(id, message_id, coupon_id);
            ++run.occasions;
        }
    }
    auto next = next_reach_day(program, zone, s, add_days(day, 1), at, done);
    st.set_reach_due(member_id, next ? std::optional<std::int64_t>(days_from_civil(*next)) : std::nullopt);
}

ReachRun Service::run_reach(int max_members) {
    Impl& im = *impl_;
    std::lock_guard<std::mutex> one_run(im.reach_mu);
    ReachRun run;
    const UnixSeconds t = now();
    const ReachRule& rule = im.program.reach;
    const CivilDateTime local = im.zone.to_local(t);
    const int minute = local.hour * 60 + local.minute;
    if (rule.quiet(minute)) return run;  // never in quiet hours; the day waits for the morning
    const std::int64_t today = days_from_civil(local.date);
    const std::int64_t target = minute >= rule.send_at ? today : today - 1;
    auto last = im.store->read([](ReadTx& tx) { return tx.self().reach_last_day(); });
    if (last && *last >= target) return run;
    // The first run ever starts with its own day; after downtime the missed days run in order.
    std::int64_t from = last ? *last + 1 : target;
    from = std::max(from, target - im.opt.reach_max_catch_up_days);
    while (from <= target) {
        auto min_due = im.store->read([](ReadTx& tx) { return tx.self().reach_min_due(); });
        if (!min_due || *min_due > target) {
            im.store->write([&](WriteTx& tx) { tx.self().reach_day_done(target, t); });
            break;
        }
        const std::int64_t d = std::max(from, *min_due);  // days with nobody due are skipped
        const CivilDate day = civil_from_days(d);
        const UnixSeconds at = im.zone.from_local(CivilDateTime{day, rule.send_at / 60, rule.send_at % 60, 0});
        int waits = 0;
        while (true) {
            if ((max_members >= 0 && run.members >= max_members) ||
                (im.opt.reach_stop && im.opt.reach_stop(run.members))) {
                run.complete = false;
                return run;
            }
            const int limit = max_members >= 0 ? std::min(im.opt.reach_batch, std::max(1, max_members - run.members))
                                               : im.opt.reach_batch;
            const std::size_t n = im.store->write([&](WriteTx& tx) {
                const auto ids = tx.self().reach_claim(d, limit);
                for (std::int64_t id : ids) im.reach_member(tx, id, day, at, run);
                return ids.size();
            });
            if (n == 0) {
                // Nothing left to claim. On PostgreSQL another process may still hold some of the day's
                // members (SKIP LOCKED): wait for them, so the next day starts after this one.
                auto left = im.store->read([](ReadTx& tx) { return tx.self().reach_min_due(); });
                if (!left || *left > d || ++waits > 600) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        im.store->write([&](WriteTx& tx) { tx.self().reach_day_done(d, t); });
        ++run.days;
        from = d + 1;
    }
    return run;
}

Result<json> Service::Impl::reach_json(std::int64_t member_id, UnixSeconds t) {
    return with_member<json>(member_id, t, [&](ReadTx& tx, const MemberRecord&, const MemberState& s) -> Result<json> {
        json sent = json::array();
        std::vector<std::string> done;
        for (const auto& r : tx.self().reach_of(member_id)) {
            done.push_back(r.occasion);
            sent.push_back({{"kind", r.kind},
                            {"occasion", r.occasion},
                            {"day", format_date(civil_from_days(r.day))},
                            {"at", format_rfc3339(r.at)},
                            {"subject", text_json(text_from(r.subject))},
                            {"consent", r.consent},
                            {"message_id", r.message_id ? json(*r.message_id) : json(nullptr)},
                            {"coupon_id", r.coupon_id ? json(*r.coupon_id) : json(nullptr)}});
        }
        auto last = tx.self().reach_last_day();
        CivilDate from = zone.local_date(t);
        if (last && *last >= days_from_civil(from)) from = add_days(from, 1);  // today's run is over
        json scheduled = json::array();
        for (const auto& o : upcoming_occasions(program, zone, s, from, t, done)) scheduled.push_back(occasion_json(o));
        return json{{"sent", sent}, {"scheduled", scheduled}};
    });
}

Result<json> Service::member_reach(std::int64_t member_id) {
    return guarded<json>([&]() -> Result<json> { return impl_->reach_json(member_id, now()); });
}

Result<json> Service::next_reminder(std::int64_t member_id) {
    return guarded<json>([&]() -> Result<json> {
        auto r = impl_->reach_json(member_id, now());
        if (!r) return r.error();
        for (const auto& o : (*r)["scheduled"])
            if (o["consent"] == "reminders") return json{{"next", o}};
        return json{{"next", nullptr}};
    });
}

}  // namespace memberdesk::server
