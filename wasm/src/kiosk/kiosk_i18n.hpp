// The kiosk's UI strings, kept apart from the portal's table (app/i18n.cpp). ktr() looks a key up
// here first and falls back to the portal's table (shared texts: rewards, coupons, API errors).
#pragma once
#include <string_view>
#include <vector>

#include "app/i18n.hpp"

namespace memberdesk::client::kiosk {

const std::vector<StringEntry>& kiosk_string_table();
const char* ktr(Lang lang, std::string_view key);

}  // namespace memberdesk::client::kiosk
