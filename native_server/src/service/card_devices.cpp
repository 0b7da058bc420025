// Offline member cards (docs/design.md "Offline member card"): a member's device gets a secret at
// sign-in (auth.cpp) and shows "T<member>-<device>-<otp>", a TOTP over that secret computed on the
// device; the POS, the kiosk and staff look-ups accept it here. A code is refused once its device
// row is gone: sign-out, a new PIN, an erase, a new secret for the device, or more newer devices.
#include "service/internal.hpp"

namespace memberdesk::server {

Result<std::int64_t> Service::Impl::verify_card_code(const std::string& code, UnixSeconds now) {
    const Error bad = err(ErrorCode::invalid_member_code, "member code is unknown or has expired; refresh the card");
    auto c = parse_card_code(code);
    if (!c) return bad;
    // Wrong codes are counted per member like wrong PINs per phone (same table, same limits).
    const std::string limit_key = "card:" + std::to_string(c->member_id);
    const UnixSeconds since = now - opt.login_window_seconds;
    struct Seen {
        int failures = 0;
        std::optional<CardDeviceRecord> device;
        std::optional<MemberRecord> member;
    };
    const Seen seen = store->read([&](ReadTx& tx) {
        Seen s;
        s.failures = tx.login_failures_since(limit_key, since);
        s.device = tx.card_device(c->device_id);
        if (s.device && s.device->member_id == c->member_id) s.member = tx.member_by_id(c->member_id);
        return s;
    });
    if (seen.failures >= opt.login_max_failures)
        return err(ErrorCode::too_many_attempts, "too many wrong member codes; try again later");
    bool ok = false;
    if (seen.member && !seen.member->erased_at) {
        if (auto secret = crypto::open(card_key, seen.device->secret_box)) {
            // Every step of the window is compared, so the time taken says nothing about which matched.
            for (int d = -kTotpWindowSteps; d <= kTotpWindowSteps; ++d)
                ok = crypto::constant_time_equal(crypto::card_totp(*secret, now + d * kTotpStepSeconds), c->otp) || ok;
        }
    }
    if (!ok) {
        store->write([&](WriteTx& tx) { tx.add_login_failure(limit_key, now); });
        return bad;
    }
    return c->member_id;
}

}  // namespace memberdesk::server
