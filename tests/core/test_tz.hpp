// TZif bytes of a few real time zones, embedded into core_tests at build time
// from Debian's tzdata (/usr/share/zoneinfo), so the tests need no file I/O and
// run the same natively and under node.  Generated: build/<preset>/tests/test_tz_data.cpp.
#pragma once
#include <string>
#include <string_view>
#include <vector>

// Zones: "Asia/Shanghai", "America/New_York", "Europe/London", "UTC",
// "Australia/Lord_Howe" (the list is MEMBERDESK_TEST_ZONES in tests/CMakeLists.txt).
// Returns the file's bytes, or an empty view for a zone that is not embedded.
std::string_view test_tzif(std::string_view zone_name);

// The embedded zone names, sorted.
std::vector<std::string> test_tzif_names();
