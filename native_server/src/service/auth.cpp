// Sign-in and sessions: member and kiosk logins, token checks with sliding expiry, sign-out.
#include "service/internal.hpp"

namespace memberdesk::server {

const std::string& Service::Impl::dummy_pin_hash() {
    std::call_once(dummy_once,
                   [&] { dummy_hash = crypto::hash_pin(crypto::random_code(12), opt.kdf_opslimit, opt.kdf_memlimit); });
    return dummy_hash;
}

Result<Session> Service::Impl::open_session(Principal::Kind kind, const std::string& kiosk_key_id,
                                            const std::string& phone, const std::string& pin, UnixSeconds now,
                                            std::optional<std::int64_t> replace_card_device) {
    const UnixSeconds since = now - opt.login_window_seconds;
    struct Seen {
        int failures = 0;
        std::optional<MemberRecord> member;
    };
    const bool phone_ok = valid_phone(phone);
    Seen seen;
    if (phone_ok) {
        seen = store->read([&](ReadTx& tx) {
            Seen s;
            s.failures = tx.login_failures_since(phone, since);
            s.member = tx.member_by_phone(phone);
            return s;
        });
    }
    if (seen.failures >= opt.login_max_failures)
        return err(ErrorCode::too_many_attempts, "too many failed sign-ins; try again later");

    // The slow KDF runs outside any transaction. Unknown phone: verify against a dummy hash, so the
    // answer takes as long as for a member.
    const bool known = seen.member && !seen.member->erased_at && !seen.member->pin_hash.empty();
    const bool pin_ok =
        crypto::verify_pin(known ? seen.member->pin_hash : dummy_pin_hash(), pin) && known && valid_pin(pin);
    if (!pin_ok) {
        if (phone_ok) store->write([&](WriteTx& tx) { tx.add_login_failure(phone, now); });
        return err(ErrorCode::invalid_credentials, "phone or PIN is wrong");
    }

    const int ttl = kind == Principal::Kind::member ? opt.member_session_seconds : opt.kiosk_session_seconds;
    Session session;
    session.token = crypto::random_token();
    session.expires_at = now + ttl;
    // A member's device gets a secret for the offline card (card_devices.cpp), sealed for storage.
    std::string card_secret, card_box;
    if (kind == Principal::Kind::member) {
        card_secret = crypto::random_bytes(kCardSecretBytes);
        card_box = crypto::seal(card_key, card_secret);
    }
    const bool locked = store->write([&](WriteTx& tx) {
        // Re-checked inside the write: concurrent failures may have locked the phone meanwhile.
        if (tx.login_failures_since(phone, since) >= opt.login_max_failures) return true;
        tx.clear_login_failures(phone);
        tx.purge_expired(now);
        SessionRecord rec;
        rec.token_hash = crypto::hash_token(session.token);
        rec.kind = kind == Principal::Kind::member ? "member" : "kiosk";
        rec.member_id = seen.member->id;
        rec.kiosk_key_id = kiosk_key_id;
        rec.created_at = now;
        rec.expires_at = session.expires_at;
        tx.insert_session(rec);
        if (!card_box.empty()) {
            if (replace_card_device) {
                auto old = tx.card_device(*replace_card_device);
                if (old && old->member_id == rec.member_id) tx.delete_card_device(old->id);
            }
            CardDeviceRecord d;
            d.member_id = rec.member_id;
            d.secret_box = card_box;
            d.session_hash = rec.token_hash;
            d.created_at = now;
            const std::int64_t id = tx.insert_card_device(d, std::max(1, opt.card_devices_per_member));
            session.card = CardSecret{rec.member_id, id, card_secret};
        }
        return false;
    });
    if (locked) return err(ErrorCode::too_many_attempts, "too many failed sign-ins; try again later");
    return session;
}

Result<Session> Service::login(const std::string& phone, const std::string& pin,
                               std::optional<std::int64_t> replace_card_device) {
    return guarded<Session>(
        [&] { return impl_->open_session(Principal::Kind::member, "", phone, pin, now(), replace_card_device); });
}

Result<Session> Service::kiosk_login_with_pin(const std::string& kiosk_key_id, const std::string& phone,
                                              const std::string& pin) {
    return guarded<Session>(
        [&] { return impl_->open_session(Principal::Kind::kiosk, kiosk_key_id, phone, pin, now()); });
}

Result<Session> Service::kiosk_login_with_code(const std::string& kiosk_key_id, const std::string& member_code) {
    return guarded<Session>([&]() -> Result<Session> {
        const UnixSeconds t = now();
        // A scanned offline card code names the member once verified; a server code is looked up
        // in the session's own transaction (it expires).
        std::optional<std::int64_t> card_member;
        std::string code = member_code;
        if (looks_like_card_code(member_code)) {
            auto member_id = impl_->verify_card_code(member_code, t);
            if (!member_id) return member_id.error();
            card_member = *member_id;
        } else {
            std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
            if (code.size() < 2 || code.size() > 64 || code[0] != 'M')
                return err(ErrorCode::invalid_member_code, "member code is not valid or has expired");
        }
        Session session;
        session.token = crypto::random_token();
        session.expires_at = t + impl_->opt.kiosk_session_seconds;
        const bool ok = impl_->store->write([&](WriteTx& tx) {
            std::int64_t member_id = 0;
            if (card_member) {
                member_id = *card_member;
            } else {
                auto mc = tx.member_code(crypto::hash_token(code));
                if (!mc || mc->expires_at <= t) return false;
                member_id = mc->member_id;
            }
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return false;
            SessionRecord rec;
            rec.token_hash = crypto::hash_token(session.token);
            rec.kind = "kiosk";
            rec.member_id = m->id;
            rec.kiosk_key_id = kiosk_key_id;
            rec.created_at = t;
            rec.expires_at = session.expires_at;
            tx.insert_session(rec);
            return true;
        });
        if (!ok) return err(ErrorCode::invalid_member_code, "member code is not valid or has expired");
        return session;
    });
}

Result<Principal> Service::authenticate(const std::string& token) {
    const Error invalid = err(ErrorCode::unauthorized, "invalid or expired token");
    if (token.empty() || token.size() > 256) return invalid;
    // A database that cannot answer is service_busy or internal_error (guarded), never
    // unauthorized: a client signs out on unauthorized.
    return guarded<Principal>([&]() -> Result<Principal> {
        const UnixSeconds t = now();
        const std::string h = crypto::hash_token(token);
        auto s = impl_->store->read([&](ReadTx& tx) { return tx.session(h); });
        if (!s) return invalid;
        if (s->expires_at <= t) {
            // Dead for good: deleted now, so a clock set back later cannot revive it.
            impl_->store->write([&](WriteTx& tx) { tx.delete_session(h); });
            return invalid;
        }
        Principal p;
        p.kind = s->kind == "kiosk" ? Principal::Kind::kiosk : Principal::Kind::member;
        p.member_id = s->member_id;
        p.kiosk_key_id = s->kiosk_key_id;
        p.expires_at = s->expires_at;
        // Sliding expiry, written at most every ~30 s (a quarter of the TTL for short sessions).
        const int ttl =
            p.kind == Principal::Kind::member ? impl_->opt.member_session_seconds : impl_->opt.kiosk_session_seconds;
        const int step = std::max(1, std::min(30, ttl / 4));
        const UnixSeconds slid = t + ttl;
        if (slid - s->expires_at >= step) {
            impl_->store->write([&](WriteTx& tx) { tx.extend_session(h, slid); });
            p.expires_at = slid;
        }
        return p;
    });
}

void Service::logout(const std::string& token) {
    if (token.empty() || token.size() > 256) return;
    const std::string h = crypto::hash_token(token);
    // Signing out ends the device's offline card too.
    impl_->store->write([&](WriteTx& tx) {
        tx.delete_session(h);
        tx.delete_session_card_devices(h);
    });
}

void Service::purge_expired() {
    const UnixSeconds t = now();
    impl_->store->write([&](WriteTx& tx) { tx.purge_expired(t); });
}

}  // namespace memberdesk::server
