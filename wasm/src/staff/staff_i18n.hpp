// The staff console's UI strings, kept apart from the portal's table (app/i18n.cpp) like the
// kiosk's. str() looks a key up here first and falls back to the portal's table.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "app/client_state.hpp"
#include "app/i18n.hpp"

namespace memberdesk::client::staff {

const std::vector<StringEntry>& staff_string_table();
const char* str(Lang lang, std::string_view key);

// An API error in words for staff: the console's own sentence for the codes staff meet at the
// counter ("staff.error.<code>"), else the portal's; in English the server's sentence follows a
// refused limit (it says the limit and what was used today).
std::string staff_error(Lang lang, const ApiError& e);

// A role in words ("clerk" -> "Clerk" / "店员"); an unknown role as the server spelled it.
std::string role_name(Lang lang, const std::string& role);

}  // namespace memberdesk::client::staff
