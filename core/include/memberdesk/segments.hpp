// Lifecycle segments: exactly one per member, recomputed from history. Internal only.
#pragma once
#include <vector>

#include "memberdesk/ledger.hpp"

namespace memberdesk {

enum class Segment { new_member, core, active, potential, dormant, churned };
const char* to_string(Segment s);  // "new", "core", "active", "potential", "dormant", "churned"

Segment segment_of(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now);

// Offers of the program that target the member's segment (labels never leave the server).
std::vector<const Offer*> offers_for(const ProgramConfig& p, Segment seg);

}  // namespace memberdesk
