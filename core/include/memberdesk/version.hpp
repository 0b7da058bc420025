// Version of the memberdesk core (shared by server and client).
#pragma once

namespace memberdesk {

// "MAJOR.MINOR.PATCH"
const char* version();

}  // namespace memberdesk
