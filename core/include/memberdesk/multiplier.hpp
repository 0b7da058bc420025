// How a points multiplier (integer percent) reads to a member. The one formatting used by the
// rules text, tier benefits, ledger reasons and both client modes.
#pragma once
#include <string>

#include "memberdesk/common.hpp"

namespace memberdesk {

// 100 -> "×1", 110 -> "×1.1", 125 -> "×1.25", 150 -> "×1.5", 200 -> "×2" (no trailing zeros).
std::string format_multiplier(int percent);

// The benefit line a tier's multiplier gives: {"积分×1.25", "×1.25 points"}.
Text multiplier_benefit(int percent);

}  // namespace memberdesk
