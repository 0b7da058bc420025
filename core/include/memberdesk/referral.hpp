// Referral (domain.md §7): a member's code, and the pure decisions around the reward. A new member
// who signed up with a code earns the program's `referral.new_member_points` at their first purchase
// (inside that purchase's plan, earn_purchase), and the referrer earns `referrer_points` (a plan of
// their own, referral_reward) unless the referrer already reached `monthly_cap` rewards in that local
// month. Refunding the first purchase in full takes both back (refund_purchase, referral_clawback).
// Exactly once is storage's part: one referral row per new member, settled in the purchase's write
// transaction.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "memberdesk/codes.hpp"
#include "memberdesk/ledger.hpp"
#include "memberdesk/program.hpp"
#include "memberdesk/time.hpp"

namespace memberdesk {

// Codes are 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L, U), random, so they
// are easy to read out or type and say nothing about the member id.
inline constexpr const char* kReferralAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::size_t kReferralCodeLength = 8;

// A typed or scanned code in canonical form (upper case, spaces and dashes dropped); nullopt when
// it cannot be a code.
std::optional<std::string> normalize_referral_code(const std::string& typed);

// The code in what a person typed or a scanner read: a bare code ("K7M2-QX9P") or an invitation
// link with `ref=CODE` in its query (the QR of the portal's Invite a friend screen is the link);
// nullopt for anything else.
std::optional<std::string> referral_code_from_scan(const std::string& text);

// An invitation link a scanner typed into another field (a name) while it had focus: removes the
// link from `text` and returns its code; nullopt, `text` untouched, when it holds no such link.
std::optional<std::string> take_referral_link(std::string& text);

// The local month a reward counts in for the monthly cap (month_index of the local date of `at`).
int referral_month(const ZoneRules& z, UnixSeconds at);

// The portal's invitation link on `origin` ("https://shop.example").
std::string referral_url(const std::string& origin, const std::string& code);

// The referrer's message when a friend's first purchase rewards them (`awarded`) or its full refund
// takes the reward back: `points` is the reward, `locale` "zh" or "en".
MessageText referral_message_text(bool awarded, Points points, const std::string& locale,
                                  const std::string& program_name);

// ReferralFacts, ReferralPaid and ReferralOutcome (the referral part of a Plan) are in ledger.hpp.

// The referrer's reward (a bonus lot with the program's expiry) for `new_member_id`'s first purchase.
Plan referral_reward(const ProgramConfig& p, const ZoneRules& z, const MemberState& referrer, Points points,
                     std::int64_t new_member_id, UnixSeconds now);

// Takes `points` back: first from the lot the reward created (`source`), then from other spendable
// points, the rest becomes debt, as a refund does.
Plan referral_clawback(const ProgramConfig& p, const MemberState& s, Points points, const std::string& source,
                       const std::string& ref, UnixSeconds now);

// Lot sources of the rewards: the new member's, and the referrer's for one new member.
std::string referral_source_new_member();
std::string referral_source_referrer(std::int64_t new_member_id);

}  // namespace memberdesk
