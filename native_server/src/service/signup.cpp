// Sign-up and PIN reset with one-time codes (domain.md §7). A code is 6 digits, stored as a keyed
// hash, compared in constant time, valid 10 minutes, void after 5 wrong tries; sending is limited per
// phone and per client address. Both start calls answer alike for every phone, and do the same
// database work whether or not the phone belongs to a member, so neither the answer nor its timing
// tells whether a phone is a member's.
#include <sodium.h>

#include <cstdio>
#include <string>

#include "memberdesk/codes.hpp"
#include "memberdesk/ledger.hpp"
#include "memberdesk/referral.hpp"
#include "memberdesk/views.hpp"
#include "service/crypto.hpp"
#include "service/internal.hpp"
#include "service/outbox.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/self_store.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using nlohmann::json;

namespace {

const CodeLimits kLimits{};

std::string locale_of(const std::string& l) { return l == "en" ? "en" : "zh"; }

// "<salt hex>$<hex BLAKE2b keyed with the salt over purpose:phone:code>".
std::string code_hash(const std::string& purpose, const std::string& phone, const std::string& code,
                      const std::string& salt) {
    const std::string input = purpose + ":" + phone + ":" + code;
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                       reinterpret_cast<const unsigned char*>(salt.data()), salt.size());
    return crypto::hex(salt) + "$" + crypto::hex(std::string(reinterpret_cast<const char*>(out), sizeof out));
}
std::string new_code_hash(const std::string& purpose, const std::string& phone, const std::string& code) {
    return code_hash(purpose, phone, code, crypto::random_bytes(16));
}
bool code_matches(const std::string& stored, const std::string& purpose, const std::string& phone,
                  const std::string& code) {
    const auto dollar = stored.find('$');
    // A stored row without a code (nothing was sent) is compared against a throwaway salt, so it
    // costs the same as a real comparison.
    std::string salt(16, '\0');
    if (dollar == 32) {
        std::size_t len = 0;
        if (sodium_hex2bin(reinterpret_cast<unsigned char*>(salt.data()), salt.size(), stored.data(), dollar, nullptr,
                           &len, nullptr) != 0 ||
            len != 16)
            salt.assign(16, '\0');
    }
    const std::string computed = code_hash(purpose, phone, code, salt);
    return crypto::constant_time_equal(computed, stored) && dollar == 32;
}
std::string six_digits() {
    std::string s = std::to_string(randombytes_uniform(1000000));  // uniform, unlike a modulo
    return std::string(6 - s.size(), '0') + s;
}

Error code_error() { return err(ErrorCode::invalid_code, "code: wrong or expired; ask for a new one"); }

// The shape of a verify request's phone and code, before any code is looked up.
std::optional<Error> check_phone_and_code(const std::string& phone, const std::string& code) {
    if (!valid_phone(phone)) return err(ErrorCode::invalid_phone, "phone must be 6 to 20 digits, optionally after a +");
    if (code.size() != 6 || !all_digits(code)) return code_error();
    return std::nullopt;
}
Error referral_error() {
    return err(ErrorCode::invalid_referral_code, "referral_code: no member has this code; check it or leave it out");
}

}  // namespace

// The shared part of both starts: limits, then a code (or a note, or nothing) in one transaction.
// `kind` of the phone decides what is sent: signup -> a code to a new phone, "you already have an
// account" to a member's; pin_reset -> a code to a member's phone, nothing to an unknown one.
// phone_change: a code to the new phone for `changer` (the purpose names the member, so only they can
// use it), 409 phone_taken when the phone is another member's.
static Result<UnixSeconds> start_code(Store& store, const ProgramConfig& program, const ServiceOptions& opt,
                                      const std::string& purpose, const CodeRequest& r, UnixSeconds now,
                                      std::optional<std::int64_t> changer = std::nullopt) {
    if (!valid_phone(r.phone))
        return err(ErrorCode::invalid_phone, "phone must be 6 to 20 digits, optionally after a +");
    const std::string code = six_digits();
    const std::string locale = locale_of(r.locale);
    std::string sent_code;
    auto res = store.write([&](WriteTx& tx) -> Result<UnixSeconds> {
        SelfTx& st = tx.self();
        CodeHistory h;
        if (auto last = st.latest_otp(r.phone, purpose)) h.last_sent_at = last->created_at;
        h.phone_last_day = st.otps_of_phone_since(r.phone, now - 86400);
        h.address_last_hour = st.otps_of_address_since(r.client_address, now - 3600);
        if (const int wait = code_wait_seconds(kLimits, h, now); wait > 0)
            return err(
                ErrorCode::too_many_codes,
                "codes are sent at most once a minute, 5 a day per phone; try again in " + std::to_string(wait) + " s");
        auto m = tx.member_by_phone(r.phone);
        const bool member = m && !m->erased_at;
        if (changer && m) return err(ErrorCode::phone_taken, "a member with this phone already exists");
        OtpRecord o;
        o.phone = r.phone;
        o.purpose = purpose;
        o.client_address = r.client_address;
        o.created_at = now;
        o.expires_at = now + kLimits.lifetime_seconds;
        QueuedMessage q;
        q.phone = r.phone;
        q.locale = locale;
        q.created_at = now;
        const bool send_code = changer ? true : purpose == "signup" ? !member : member;
        if (send_code) {
            o.code_hash = new_code_hash(purpose, r.phone, code);
            q.template_id = changer ? "phone_change_code" : purpose == "signup" ? "signup_code" : "pin_reset_code";
            q.code = code;
            if (member) q.member_id = m->id;
            if (changer) q.member_id = *changer;  // the inbox of the member who asked
            sent_code = code;
        } else {
            o.code_hash = "";
            if (purpose == "signup") {
                q.template_id = "signup_existing";
                q.member_id = m->id;
            }
        }
        st.insert_otp(o);
        if (!q.template_id.empty())
            queue_message(st, q, program.name.in(locale), opt.deliver_messages, kLimits.lifetime_seconds);
        return o.expires_at;
    });
    if (res && !sent_code.empty() && opt.on_code) opt.on_code(r.phone, sent_code);
    return res;
}

Result<UnixSeconds> Service::signup_start(const CodeRequest& r) {
    return guarded<UnixSeconds>(
        [&] { return start_code(*impl_->store, impl_->program, impl_->opt, "signup", r, now()); });
}

Result<UnixSeconds> Service::pin_reset_start(const CodeRequest& r) {
    return guarded<UnixSeconds>(
        [&] { return start_code(*impl_->store, impl_->program, impl_->opt, "pin_reset", r, now()); });
}

// Checks the phone's newest code of `purpose` inside `tx`; a wrong code counts a try (committed
// with the answer). Returns the code's id.
static Result<std::int64_t> check_code(SelfTx& st, const std::string& purpose, const std::string& phone,
                                       const std::string& code, UnixSeconds now) {
    auto o = st.latest_otp(phone, purpose);
    if (!o) return code_error();
    const bool usable = code_usable(kLimits, o->expires_at, o->used_at.has_value(), o->tries, now);
    const bool match = code_matches(o->code_hash, purpose, phone, code);
    if (!usable) return code_error();
    if (!match) {
        st.add_otp_try(o->id);
        return code_error();
    }
    return o->id;
}

Result<SignedUp> Service::signup_verify(const SignupRequest& r) {
    return guarded<SignedUp>([&]() -> Result<SignedUp> {
        const UnixSeconds t = now();
        Impl& im = *impl_;
        if (auto bad = check_phone_and_code(r.phone, r.code)) return *bad;
        if (!valid_pin(r.pin)) return err(ErrorCode::invalid_pin, "PIN must be exactly 6 digits");
        if (auto bad = check_name(r.name)) return *bad;
        if (!r.terms) return err(ErrorCode::consent_required, "consents.terms: the terms must be accepted to join");
        std::optional<std::string> referral_code;
        if (r.referral_code && !r.referral_code->empty()) {
            referral_code = normalize_referral_code(*r.referral_code);
            if (!referral_code) return referral_error();
        }
        const std::string pin_hash = crypto::hash_pin(r.pin, im.opt.kdf_opslimit, im.opt.kdf_memlimit);
        const std::string locale = locale_of(r.locale);
        SignedUp out;
        out.session.token = crypto::random_token();
        out.session.expires_at = t + im.opt.member_session_seconds;
        try {
            auto res = im.store->write([&](WriteTx& tx) -> Result<std::int64_t> {
                SelfTx& st = tx.self();
                auto id = check_code(st, "signup", r.phone, r.code, t);
                if (!id) return id.error();
                if (auto m = tx.member_by_phone(r.phone))
                    return err(ErrorCode::phone_taken, "a member with this phone already exists");
                // Checked before the code is used up: the person can send the sign-up again with the
                // right referral code or none.
                std::optional<std::int64_t> referrer;
                if (referral_code) {
                    referrer = st.member_of_referral_code(*referral_code);
                    auto rm = referrer ? tx.member_by_id(*referrer) : std::nullopt;
                    if (!rm || rm->erased_at) return referral_error();
                }
                if (r.store && !tx.store_by_id(*r.store)) return err(ErrorCode::unknown_store, "no such store");
                st.use_otp(*id, t);
                const std::int64_t member_id =
                    tx.insert_member(NewMemberRecord{r.phone, r.name, pin_hash, {}, t, r.store});
                if (referrer) {
                    ReferralRecord rec;
                    rec.member_id = member_id;
                    rec.referrer_id = *referrer;
                    rec.code = *referral_code;
                    rec.created_at = t;
                    st.insert_referral(rec);
                }
                MemberState s = im.rebuilt_snapshot(tx, member_id, t);
                Plan plan = join(im.program, im.zone, s, t);
                json detail = {{"channel", r.channel}};
                if (r.store) detail["store"] = *r.store;
                if (referrer) detail["referrer_id"] = *referrer;
                if (!plan.empty()) {
                    AppliedPlan ap = tx.apply_plan(member_id, plan, im.program, t);
                    im.state_after(tx, std::move(s), plan, ap, t);
                    json codes = json::array();
                    for (const auto& c : ap.coupons) codes.push_back(c.template_id);
                    detail["coupons"] = codes;
                } else {
                    im.save_snapshot(tx, s);
                }
                for (const auto& [purpose, granted] : {std::pair<const char*, bool>{"terms", true},
                                                       {"reminders", true},
                                                       {"marketing", r.marketing},
                                                       {"personalised_offers", r.personalised_offers}})
                    st.insert_consent(ConsentRecord{0, member_id, purpose, granted, kConsentTextVersion, r.channel, t});
                st.adopt_messages(r.phone, member_id);
                QueuedMessage q;
                q.member_id = member_id;
                q.phone = r.phone;
                q.template_id = "welcome";
                q.locale = locale;
                q.created_at = t;
                queue_message(st, q, im.program.name.in(locale), im.opt.deliver_messages, kLimits.lifetime_seconds);
                Actor who;
                who.kind = Actor::Kind::member;
                who.id = std::to_string(member_id);
                im.audit(tx, who, "signup", member_id, detail, t);
                SessionRecord rec;
                rec.token_hash = crypto::hash_token(out.session.token);
                rec.kind = "member";
                rec.member_id = member_id;
                rec.created_at = t;
                rec.expires_at = out.session.expires_at;
                tx.insert_session(rec);
                return member_id;
            });
            if (!res) return res.error();
            out.member_id = *res;
        } catch (const StoreError& e) {
            if (e.kind() == StoreError::Kind::unique_violation)
                return err(ErrorCode::phone_taken, "a member with this phone already exists");
            throw;
        }
        return out;
    });
}

Result<Reply> Service::pin_reset_verify(const PinResetRequest& r) {
    return guarded<Reply>([&]() -> Result<Reply> {
        const UnixSeconds t = now();
        Impl& im = *impl_;
        if (auto bad = check_phone_and_code(r.phone, r.code)) return *bad;
        if (!valid_pin(r.pin)) return err(ErrorCode::invalid_pin, "PIN must be exactly 6 digits");
        // Hashed before the check whatever the phone, so a wrong code for an unknown phone takes as long.
        const std::string pin_hash = crypto::hash_pin(r.pin, im.opt.kdf_opslimit, im.opt.kdf_memlimit);
        const std::string locale = locale_of(r.locale);
        return im.store->write([&](WriteTx& tx) -> Result<Reply> {
            SelfTx& st = tx.self();
            auto id = check_code(st, "pin_reset", r.phone, r.code, t);
            if (!id) return id.error();
            auto m = tx.member_by_phone(r.phone);
            if (!m || m->erased_at) return code_error();
            st.use_otp(*id, t);
            m->pin_hash = pin_hash;
            im.change_member(tx, m->id, t, [&] { tx.update_member(*m); });
            tx.delete_member_sessions(m->id);  // every device signs in again with the new PIN
            tx.clear_login_failures(r.phone);  // and the login lock is lifted
            QueuedMessage q;
            q.member_id = m->id;
            q.phone = r.phone;
            q.template_id = "pin_changed";
            q.locale = locale;
            q.created_at = t;
            queue_message(st, q, im.program.name.in(locale), im.opt.deliver_messages, kLimits.lifetime_seconds);
            Actor who;
            who.kind = Actor::Kind::member;
            who.id = std::to_string(m->id);
            im.audit(tx, who, "pin_reset", m->id, json::object(), t);
            return Reply{Reply::Kind::ok, json::object()};
        });
    });
}

// The purpose a phone change's code is stored under: bound to the member who asked for it.
static std::string phone_change_purpose(std::int64_t member_id) { return "phone_change:" + std::to_string(member_id); }

Result<UnixSeconds> Service::phone_change_start(const PhoneChangeRequest& r) {
    return guarded<UnixSeconds>([&]() -> Result<UnixSeconds> {
        CodeRequest c{r.phone, r.client_address, r.locale};
        return start_code(*impl_->store, impl_->program, impl_->opt, phone_change_purpose(r.member_id), c, now(),
                          r.member_id);
    });
}

Result<Reply> Service::phone_change_verify(const PhoneChangeRequest& r) {
    return guarded<Reply>([&]() -> Result<Reply> {
        const UnixSeconds t = now();
        Impl& im = *impl_;
        if (auto bad = check_phone_and_code(r.phone, r.code)) return *bad;
        const std::string locale = locale_of(r.locale);
        try {
            return im.store->write([&](WriteTx& tx) -> Result<Reply> {
                SelfTx& st = tx.self();
                auto id = check_code(st, phone_change_purpose(r.member_id), r.phone, r.code, t);
                if (!id) return id.error();
                auto m = tx.member_by_id(r.member_id);
                if (!m || m->erased_at) return unknown_member();
                if (tx.member_by_phone(r.phone))
                    return err(ErrorCode::phone_taken, "a member with this phone already exists");
                st.use_otp(*id, t);
                const std::string old_phone = m->phone;
                m->phone = r.phone;
                im.change_member(tx, m->id, t, [&] { tx.update_member(*m); });
                tx.clear_login_failures(old_phone);
                // The old phone hears of it (the new one just proved itself with the code).
                QueuedMessage q;
                q.member_id = m->id;
                q.phone = old_phone;
                q.template_id = "phone_changed";
                q.locale = locale;
                q.created_at = t;
                const MessageText text =
                    message_text("phone_changed", locale, "", mask_phone(r.phone), im.program.name.in(locale));
                q.text = text.text;
                q.inbox = text.inbox;
                queue_message(st, q, im.program.name.in(locale), im.opt.deliver_messages, kLimits.lifetime_seconds);
                Actor who;
                who.kind = Actor::Kind::member;
                who.id = std::to_string(m->id);
                im.audit(tx, who, "phone_change", m->id,
                         json{{"from", mask_phone(old_phone)}, {"to", mask_phone(r.phone)}}, t);
                return Reply{Reply::Kind::ok, json::object()};
            });
        } catch (const StoreError& e) {
            if (e.kind() == StoreError::Kind::unique_violation)
                return err(ErrorCode::phone_taken, "a member with this phone already exists");
            throw;
        }
    });
}

}  // namespace memberdesk::server
