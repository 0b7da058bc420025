#include "memberdesk/version.hpp"

namespace memberdesk {

const char* version() { return "0.1.0"; }

}  // namespace memberdesk
